// Carrier-aware steering over real HTTP: the viewer's carrier from a trusted X-Forwarded-For,
// 302s to that carrier's edge, fallbacks, embeds, health checks, reloads, and signed edge URLs.
#include "app/rendition_address.h"
#include "cdn/edge_url_auth.h"
#include "common/sha256.h"
#include "tests/support/corpus.h"
#include "tests/support/edges.h"
#include "tests/support/http_client.h"
#include "tests/support/test_server.h"

#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace imgline;
using namespace std::chrono_literals;
using test::TestServer;

namespace {

// "{preset}~{version}.{ext}": the file part of the URLs imgline hands out for `preset` now.
std::string file(const TestServer& server, const std::string& preset, const std::string& ext) {
    for (const auto& candidate : server.config().presets) {
        if (candidate.name == preset) {
            return preset + "~" + app::preset_version(server.config(), candidate) + "." + ext;
        }
    }
    return "no-such-preset";
}

}  // namespace

namespace {

const std::string kId(64, 'a');
const std::string kTelecomViewer = "1.12.14.1";
const std::string kUnicomViewer = "1.1.8.1";
const std::string kMobileViewer = "1.2.4.1";
const std::string kOps = "Authorization: Bearer ops-secret-key\r\n";

void with_edges(config::Config& config) {
    config.carriers.data_dir = test::carrier_lists_dir().string();
    config.carriers.trusted_proxies = {"127.0.0.1"};
    config.carriers.debug_header = true;
    config.edges = {test::make_edge("ct", "telecom", "http://ct.example"),
                    test::make_edge("cu", "unicom", "http://cu.example"),
                    test::make_edge("any", "default", "http://any.example")};
    config.parties = {{"admin", "ops", {sha256_hex("ops-secret-key")}, ""}};
}

test::Response go(unsigned short port, const std::string& viewer, const std::string& suffix = "") {
    return test::request(port, "GET", "/go/" + kId + "/main.jpg" + suffix,
                         viewer.empty() ? "" : "X-Forwarded-For: " + viewer + "\r\n");
}

}  // namespace

TEST_CASE("viewers are sent to an edge on their own carrier line", "[integration][steering]") {
    TestServer server(with_edges);
    const auto telecom = go(server.port(), kTelecomViewer);
    REQUIRE(telecom.result_int() == 302);
    CHECK(telecom["Location"] == "http://ct.example/i/" + kId + "/" + file(server, "main", "jpg"));
    CHECK(telecom["Cache-Control"] == "private, no-store");
    CHECK(telecom["X-Imgline-Edge"] == "ct; carrier=telecom; reason=carrier-match");

    CHECK(go(server.port(), kUnicomViewer)["Location"] ==
          "http://cu.example/i/" + kId + "/" + file(server, "main", "jpg"));
    // No mobile edge is configured: the default line.
    CHECK(go(server.port(), kMobileViewer)["X-Imgline-Edge"] ==
          "any; carrier=mobile; reason=default-line");
    // An address on no list is on the default line.
    CHECK(go(server.port(), "8.8.8.8")["X-Imgline-Edge"] ==
          "any; carrier=default; reason=default-line");
    // A storefront's server may ask for a line.
    CHECK(go(server.port(), "", "?carrier=unicom")["X-Imgline-Edge"] ==
          "cu; carrier=unicom; reason=carrier-match");
    CHECK(go(server.port(), "", "?carrier=martian").result_int() == 400);

    CHECK(test::request(server.port(), "GET", "/go/" + kId + "/nope.jpg").result_int() == 404);
    CHECK(test::request(server.port(), "GET", "/go/xyz/main.jpg").result_int() == 404);
}

TEST_CASE("readiness reports the carrier lists' snapshot date and age", "[integration][steering]") {
    TestServer server(with_edges);
    const auto ready = test::request(server.port(), "GET", "/readyz");
    REQUIRE(ready.result_int() == 200);
    const auto lists = boost::json::parse(ready.body()).at("carrier_lists").as_object();
    std::string snapshot = test::read_bytes(test::carrier_lists_dir() / "SNAPSHOT");
    snapshot.pop_back();  // the newline
    CHECK(lists.at("snapshot").as_string() == snapshot);
    CHECK(lists.at("age_days").as_int64() >= 0);
    CHECK(lists.contains("stale"));
    CHECK(test::metric_sum(server.port(), "imgline_carrier_lists_snapshot_timestamp_seconds") >
          1e9);
}

TEST_CASE("X-Forwarded-For from an untrusted peer is ignored", "[integration][steering]") {
    TestServer server([](config::Config& config) {
        with_edges(config);
        config.carriers.trusted_proxies.clear();
    });
    CHECK(go(server.port(), kTelecomViewer)["X-Imgline-Edge"] ==
          "any; carrier=default; reason=default-line");
}

TEST_CASE("an edge whose health checks fail leaves the rotation and comes back",
          "[integration][steering]") {
    // The "edge" is a small server on loopback whose health route we can turn off.
    std::atomic<bool> edge_healthy{true};
    TestServer fake_edge(
        [](config::Config&) {},
        {server::Route{{server::Method::Get},
                       "/edge-health",
                       "edge_health",
                       [&edge_healthy](const server::Request&) -> Expected<server::Reply> {
                           if (!edge_healthy) {
                               return fail(ErrorCode::Overloaded, "down for the test");
                           }
                           return server::Reply::json(200, {{"ok", true}});
                       },
                       server::Execution::Inline,
                       std::nullopt}});
    TestServer server([&](config::Config& config) {
        with_edges(config);
        config.edges[0].health_url =
            "http://127.0.0.1:" + std::to_string(fake_edge.port()) + "/edge-health";
        config.carriers.health_interval = 100ms;
        config.carriers.health_timeout = 1000ms;
        config.carriers.health_rise = 2;
        config.carriers.health_fall = 2;
    });
    auto edge_of = [&] { return std::string(go(server.port(), kTelecomViewer)["X-Imgline-Edge"]); };
    auto wait_for = [&](const std::string& expected) {
        for (int i = 0; i < 100 && edge_of() != expected; ++i) {
            std::this_thread::sleep_for(50ms);
        }
        return edge_of();
    };
    CHECK(edge_of() == "ct; carrier=telecom; reason=carrier-match");
    edge_healthy = false;
    CHECK(wait_for("any; carrier=telecom; reason=default-line") ==
          "any; carrier=telecom; reason=default-line");
    const auto metrics = test::request(server.port(), "GET", "/metrics");
    CHECK(metrics.body().find("imgline_edge_up{edge=\"ct\"} 0") != std::string::npos);
    edge_healthy = true;
    CHECK(wait_for("ct; carrier=telecom; reason=carrier-match") ==
          "ct; carrier=telecom; reason=carrier-match");
}

TEST_CASE("embeds list every preset and format on the viewer's edge, with a <picture>",
          "[integration][steering]") {
    TestServer server(with_edges);
    const auto answer =
        test::request(server.port(), "GET",
                      "/v1/embed/" + kId + "?presets=list,detail&alt=Red%20shoe%20%3Cnew%3E",
                      "X-Forwarded-For: " + kUnicomViewer + "\r\n");
    REQUIRE(answer.result_int() == 200);
    CHECK(answer["Cache-Control"] == "private, no-store");
    const auto body = boost::json::parse(answer.body()).as_object();
    CHECK(body.at("carrier") == "unicom");
    CHECK(body.at("edge") == "cu");
    CHECK(body.at("reason") == "carrier-match");
    const auto& presets = body.at("presets").as_array();
    REQUIRE(presets.size() == 2);
    CHECK(presets[0].at("urls").at("webp").as_string() ==
          "http://cu.example/i/" + kId + "/" + file(server, "list", "webp"));
    CHECK(presets[1].at("urls").at("jpeg").as_string() ==
          "http://cu.example/i/" + kId + "/" + file(server, "detail", "jpg"));
    const std::string html(body.at("html").as_string());
    CHECK(html.starts_with("<picture><source type=\"image/webp\" srcset=\"http://cu.example/i/" +
                           kId + "/" + file(server, "list", "webp") +
                           " 480w, http://cu.example/i/" + kId + "/" +
                           file(server, "detail", "webp") + " 1600w\""));
    CHECK(html.find("<img src=\"http://cu.example/i/" + kId + "/" + file(server, "detail", "jpg") +
                    "\"") != std::string::npos);
    CHECK(html.find("alt=\"Red shoe &lt;new&gt;\"") != std::string::npos);
    CHECK(test::request(server.port(), "GET", "/v1/embed/" + kId + "?presets=list,huge")
              .result_int() == 404);
    // A preset with an extension is a client mistake (it answered 500, map::at, before).
    CHECK(test::request(server.port(), "GET", "/v1/embed/" + kId + "?presets=list.webp")
              .result_int() == 400);
}

TEST_CASE("embeds for a WeChat mini-program carry no WebP or AVIF URL", "[integration][steering]") {
    TestServer server(with_edges);
    const auto answer = test::request(
        server.port(), "GET", "/v1/embed/" + kId + "?presets=list,detail&client=wechat&alt=Shoe",
        "X-Forwarded-For: " + kUnicomViewer + "\r\n");
    REQUIRE(answer.result_int() == 200);
    CHECK(answer.body().find("webp") == std::string::npos);
    CHECK(answer.body().find("avif") == std::string::npos);
    const auto body = boost::json::parse(answer.body()).as_object();
    CHECK(body.at("presets").at(0).at("urls").as_object().size() == 1);
    CHECK(body.at("wxml").as_string() == "<image src=\"http://cu.example/i/" + kId + "/" +
                                             file(server, "detail", "jpg") +
                                             "\" mode=\"widthFix\" lazy-load=\"true\" "
                                             "aria-label=\"Shoe\"></image>");
    // The web's embed has no wxml; another client is a 400.
    CHECK_FALSE(boost::json::parse(test::request(server.port(), "GET", "/v1/embed/" + kId).body())
                    .as_object()
                    .contains("wxml"));
    CHECK(test::request(server.port(), "GET", "/v1/embed/" + kId + "?client=app").result_int() ==
          400);
}

TEST_CASE("edges that want signed URLs get them, and the signatures verify",
          "[integration][steering][auth]") {
    const std::string secret = "edge-shared-secret-123";
    TestServer server([&](config::Config& config) {
        with_edges(config);
        config.edges[0].url_auth = config::UrlAuth::NginxSecureLink;
        config.edges[0].url_auth_secret = secret;
        config.edges[1].url_auth = config::UrlAuth::AlibabaA;
        config.edges[1].url_auth_secret = secret;
    });
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const std::string path = "/i/" + kId + "/" + file(server, "main", "jpg");

    const std::string telecom(go(server.port(), kTelecomViewer)["Location"]);
    const auto md5_at = telecom.find("?md5=");
    REQUIRE(md5_at != std::string::npos);
    const auto amp = telecom.find("&expires=");
    CHECK(cdn::verify_nginx_secure_link(path, telecom.substr(md5_at + 5, amp - md5_at - 5),
                                        telecom.substr(amp + 9), secret,
                                        now) == cdn::UrlAuthResult::Valid);

    const std::string unicom(go(server.port(), kUnicomViewer)["Location"]);
    const auto key_at = unicom.find("?auth_key=");
    REQUIRE(key_at != std::string::npos);
    CHECK(cdn::verify_alibaba_a(path, unicom.substr(key_at + 10), secret, now, 60) ==
          cdn::UrlAuthResult::Valid);
}

TEST_CASE("POST /v1/admin/reload reloads the carrier lists for admins only",
          "[integration][steering]") {
    TestServer server(with_edges);
    const auto reloaded = test::request(server.port(), "POST", "/v1/admin/reload", kOps);
    REQUIRE(reloaded.result_int() == 200);
    const auto body = boost::json::parse(reloaded.body()).as_object();
    CHECK(body.at("reloaded") == true);
    CHECK(body.at("prefixes").to_number<int>() == 10943);
    CHECK(test::request(server.port(), "POST", "/v1/admin/reload").result_int() == 401);
}

TEST_CASE("public answers never carry the Host a client wrote",
          "[integration][steering][security]") {
    // No edges and no public_base_url: /go and embeds point at the origin itself, by the
    // address it listens on, whatever Host the request carried.
    TestServer server;
    const std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
    const auto redirect =
        test::request(server.port(), "GET", "/go/" + kId + "/main.jpg", "Host: evil.example\r\n");
    REQUIRE(redirect.result_int() == 302);
    CHECK(redirect["Location"] == origin + "/i/" + kId + "/" + file(server, "main", "jpg"));
    const auto embed =
        test::request(server.port(), "GET", "/v1/embed/" + kId, "Host: evil.example\r\n");
    REQUIRE(embed.result_int() == 200);
    CHECK(embed.body().find("evil.example") == std::string::npos);
    CHECK(embed.body().find(origin + "/i/" + kId) != std::string::npos);
}

TEST_CASE("every X-Forwarded-For line counts: the viewer is the right-most untrusted hop",
          "[integration][steering][security]") {
    TestServer server(with_edges);
    // A proxy chain that sent one line per hop: the last line holds the viewer the trusted
    // proxy saw (reading the first line alone took the forgeable left-most entry).
    const auto answer = test::request(
        server.port(), "GET", "/go/" + kId + "/main.jpg",
        "X-Forwarded-For: " + kTelecomViewer + "\r\nX-Forwarded-For: " + kUnicomViewer + "\r\n");
    REQUIRE(answer.result_int() == 302);
    CHECK(answer["X-Imgline-Edge"] == "cu; carrier=unicom; reason=carrier-match");
}
