// Real nginx edges in front of a real origin: each started on its own loopback address
// (127.0.0.2-5) with the configuration `imgline edge-config` writes, each with its own cache.
// Viewers of each carrier are sent to their edge, which fetches once from the origin and then
// serves from its cache; a stopped edge leaves the rotation and comes back; signed links are
// checked by nginx itself.
#include "common/sha256.h"
#include "tests/support/corpus.h"
#include "tests/support/http_client.h"
#include "tests/support/nginx_edge.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

#include <fstream>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

using namespace imgline;
using namespace std::chrono_literals;
using test::TestServer;
using Edge = test::NginxEdge;

namespace {

const std::string kAcme = "Authorization: Bearer acme-secret-key\r\n";
const std::string kSecret = "edge-shared-secret-123";

// Four edges and an origin that knows them; the edges' configurations come from the binary.
class EdgeFleet {
public:
    EdgeFleet() {
        edges_.emplace_back("ct", "telecom", "127.0.0.2");
        edges_.emplace_back("cu", "unicom", "127.0.0.3");
        edges_.emplace_back("cm", "mobile", "127.0.0.4");
        edges_.emplace_back("any", "default", "127.0.0.5");
        origin_ = std::make_unique<TestServer>([this](config::Config& config) { tune(config); });
        write_config_file();
        for (auto& edge : edges_) {
            configure(edge, "127.0.0.1");
            start(edge);
        }
        wait_until_all_up();
    }

    // Writes the edge's nginx configuration with `imgline edge-config`, purges allowed from
    // `purge_from` only.
    void configure(Edge& edge, const std::string& purge_from) {
        edge.configure(folder_.path(), folder_.path() / "imgline.toml",
                       {"127.0.0.1:" + std::to_string(origin_->port())}, purge_from);
    }

    // The origin polled every edge before it started; wait until health checks see them all.
    void wait_until_all_up() {
        for (int i = 0; i < 100; ++i) {
            const auto metrics = test::request(origin_->port(), "GET", "/metrics").body();
            if (metrics.find("imgline_edge_up{edge=\"ct\"} 1") != std::string::npos &&
                metrics.find("imgline_edge_up{edge=\"cu\"} 1") != std::string::npos &&
                metrics.find("imgline_edge_up{edge=\"cm\"} 1") != std::string::npos &&
                metrics.find("imgline_edge_up{edge=\"any\"} 1") != std::string::npos) {
                return;
            }
            std::this_thread::sleep_for(50ms);
        }
        FAIL("the edges did not all come into rotation");
    }

    void start(Edge& edge) {
        edge.start(folder_.path());
    }

    void stop(Edge& edge) {
        edge.stop();
    }

    Edge& edge(std::string_view name) {
        return *std::find_if(edges_.begin(), edges_.end(),
                             [&](const Edge& edge) { return edge.name == name; });
    }

    TestServer& origin() {
        return *origin_;
    }

    // Requests the origin answered on its image route so far.
    int origin_image_requests() {
        return static_cast<int>(
            test::metric_sum(origin_->port(), "imgline_http_requests_total", "route=\"image\""));
    }

private:
    void tune(config::Config& config) {
        config.carriers.data_dir = (test::carrier_lists_dir()).string();
        config.carriers.trusted_proxies = {"127.0.0.1"};
        config.carriers.debug_header = true;
        config.carriers.health_interval = 200ms;
        config.carriers.health_fall = 2;
        config.carriers.health_rise = 2;
        config.edges.clear();
        for (const auto& edge : edges_) {
            config::EdgeConfig entry;
            entry.name = edge.name;
            entry.carrier = edge.carrier;
            entry.base_url = edge.base();
            entry.health_url = edge.base() + "/healthz";
            if (edge.name == "ct") {
                entry.url_auth = config::UrlAuth::NginxSecureLink;
                entry.url_auth_secret = kSecret;
            }
            config.edges.push_back(entry);
        }
        config.parties = {{"supplier", "acme", {sha256_hex("acme-secret-key")}, ""}};
        edges_config_ = config.edges;
    }

    void write_config_file() {
        std::ofstream file(folder_.path() / "imgline.toml");
        for (const auto& edge : edges_config_) {
            file << "[[edges]]\nname = \"" << edge.name << "\"\ncarrier = \"" << edge.carrier
                 << "\"\nbase_url = \"" << edge.base_url << "\"\nurl_auth = \""
                 << config::choice_name(config::kUrlAuths, edge.url_auth)
                 << "\"\nurl_auth_secret = \"" << edge.url_auth_secret << "\"\n\n";
        }
        file << "[carriers]\ndata_dir = \"" << test::data_dir().string() << "/data/carriers\"\n";
    }

    test::TempDir folder_;
    std::vector<Edge> edges_;
    std::vector<config::EdgeConfig> edges_config_;
    std::unique_ptr<TestServer> origin_;
};

// Splits "http://127.0.0.2:PORT/i/...?..." into the port and the target.
std::pair<unsigned short, std::string> split(const std::string& url) {
    const auto host_end = url.find('/', 7);
    const auto colon = url.rfind(':', host_end);
    return {static_cast<unsigned short>(std::stoi(url.substr(colon + 1, host_end - colon - 1))),
            url.substr(host_end)};
}

test::Response fetch(const std::string& url) {
    const auto [port, target] = split(url);
    const std::string host = url.substr(7, url.rfind(':', url.find('/', 7)) - 7);
    return test::request_to(host, port, "GET", target);
}

std::string steer(TestServer& origin, const std::string& viewer, const std::string& id) {
    const auto answer = test::request(origin.port(), "GET", "/go/" + id + "/list.jpg",
                                      "X-Forwarded-For: " + viewer + "\r\n");
    REQUIRE(answer.result_int() == 302);
    return std::string(answer["Location"]);
}

}  // namespace

TEST_CASE("each carrier's viewers get their own edge, which fetches once and then caches",
          "[integration][edges][nginx]") {
    test::ensure_vips();
    EdgeFleet fleet;
    const std::string photo =
        test::read_bytes(test::data_dir() / "corpus" / "recurser__Landscape_5.jpg");
    const auto stored = test::request(fleet.origin().port(), "POST", "/v1/originals",
                                      kAcme + "Content-Type: image/jpeg\r\n", photo);
    REQUIRE(stored.result_int() == 201);
    const std::string id = sha256_hex(photo);

    struct Viewer {
        std::string address;
        std::string edge;
    };

    for (const auto& viewer : {Viewer{"1.12.14.1", "ct"}, Viewer{"1.1.8.1", "cu"},
                               Viewer{"1.2.4.1", "cm"}, Viewer{"8.8.8.8", "any"}}) {
        CAPTURE(viewer.address, viewer.edge);
        const std::string location = steer(fleet.origin(), viewer.address, id);
        CAPTURE(location);
        CHECK(location.starts_with(fleet.edge(viewer.edge).base() + "/i/" + id + "/list~"));
        const int before = fleet.origin_image_requests();
        const auto first = fetch(location);
        REQUIRE(first.result_int() == 200);
        CHECK(first["X-Cache"] == "MISS");
        CHECK(first.body().substr(0, 3) == "\xFF\xD8\xFF");
        const auto second = fetch(location);
        REQUIRE(second.result_int() == 200);
        CHECK(second["X-Cache"] == "HIT");
        CHECK(second.body() == first.body());
        CHECK(fleet.origin_image_requests() == before + 1);  // the edge asked once
    }
}

TEST_CASE("nginx itself refuses tampered and expired signed links", "[integration][edges][nginx]") {
    EdgeFleet fleet;
    const std::string id(64, 'b');
    const std::string location = steer(fleet.origin(), "1.12.14.1", id);
    REQUIRE(location.find("?md5=") != std::string::npos);
    const std::string tampered = location.substr(0, location.find("?md5=") + 5) + "AAAA" +
                                 location.substr(location.find("?md5=") + 9);
    CHECK(fetch(tampered).result_int() == 403);
    const std::string unsigned_link = location.substr(0, location.find('?'));
    CHECK(fetch(unsigned_link).result_int() == 403);
    CHECK(fetch(location).result_int() == 404);  // signature accepted; the origin has no such id
}

TEST_CASE("an edge forwards the rendition path alone: an encoded CRLF cannot split its request",
          "[integration][edges][nginx][security]") {
    EdgeFleet fleet;
    const auto port = fleet.origin().port();
    // Every request the origin answered, but for the /metrics reads of this test (one scrape).
    auto origin_requests = [&] {
        const auto metrics = test::request(port, "GET", "/metrics").body();
        double sum = 0;
        std::istringstream lines(metrics);
        for (std::string line; std::getline(lines, line);) {
            if (line.starts_with("imgline_http_requests_total{") &&
                line.find("route=\"metrics\"") == std::string::npos) {
                sum += std::stod(line.substr(line.rfind(' ') + 1));
            }
        }
        return sum;
    };
    const std::string id(64, 'e');
    const std::string edge = fleet.edge("cu").base();
    const double before = origin_requests();
    // nginx decodes $uri: forwarded as it was, this made the edge send an injected header and
    // a second request (to an admin route, from the edge's trusted address) to the origin.
    const std::string smuggled = "/i/" + id +
                                 "/list.jpg%20HTTP/1.1%0d%0aX-Injected:%20yes%0d%0aHost:%20o%0d%0a"
                                 "%0d%0aGET%20/v1/originals%20HTTP/1.1%0d%0aHost:%20o%0d%0a%0d%0a";
    CHECK(fetch(edge + smuggled).result_int() == 404);
    CHECK(fetch(edge + "/i/" + id + "/../../v1/originals").result_int() == 404);
    CHECK(fetch(edge + "/i/" + id + "/list.jpg%0d%0a").result_int() == 404);
    CHECK(origin_requests() == before);  // none of them reached the origin
    // The rendition path itself still goes through (the origin has no such id: 404 from it).
    CHECK(fetch(edge + "/i/" + id + "/list.jpg").result_int() == 404);
    CHECK(origin_requests() == before + 1);
}

TEST_CASE("a stopped edge leaves the rotation and comes back when it recovers",
          "[integration][edges][nginx]") {
    EdgeFleet fleet;
    const std::string id(64, 'c');
    auto edge_for_unicom = [&] {
        return std::string(test::request(fleet.origin().port(), "GET", "/go/" + id + "/list.jpg",
                                         "X-Forwarded-For: 1.1.8.1\r\n")["X-Imgline-Edge"]);
    };
    auto wait_for = [&](const std::string& prefix) {
        for (int i = 0; i < 100 && !edge_for_unicom().starts_with(prefix); ++i) {
            std::this_thread::sleep_for(50ms);
        }
        return edge_for_unicom();
    };
    CHECK(edge_for_unicom().starts_with("cu;"));
    fleet.stop(fleet.edge("cu"));
    CHECK(wait_for("any;") == "any; carrier=unicom; reason=default-line");
    fleet.start(fleet.edge("cu"));
    CHECK(wait_for("cu;") == "cu; carrier=unicom; reason=carrier-match");
}

TEST_CASE("deleting an original purges every edge, an edge that owes a purge waits out of rotation",
          "[integration][edges][nginx][purge]") {
    test::ensure_vips();
    EdgeFleet fleet;
    const std::string photo =
        test::read_bytes(test::data_dir() / "corpus" / "recurser__Landscape_6.jpg");
    REQUIRE(test::request(fleet.origin().port(), "POST", "/v1/originals",
                          kAcme + "Content-Type: image/jpeg\r\n", photo)
                .result_int() == 201);
    const std::string id = sha256_hex(photo);
    const std::string unicom = steer(fleet.origin(), "1.1.8.1", id);
    const std::string mobile = steer(fleet.origin(), "1.2.4.1", id);
    for (const auto& url : {unicom, mobile}) {
        REQUIRE(fetch(url).result_int() == 200);
        REQUIRE(fetch(url)["X-Cache"] == "HIT");
    }

    // The mobile edge stays up and healthy, but refuses the origin's purges (403).
    Edge& cm = fleet.edge("cm");
    fleet.stop(cm);
    fleet.configure(cm, "127.0.0.9");
    fleet.start(cm);
    fleet.wait_until_all_up();
    const auto deleted =
        test::request(fleet.origin().port(), "DELETE", "/v1/originals/" + id, kAcme);
    REQUIRE(deleted.result_int() == 200);

    // The unicom edge drops its copy: the next request goes to the origin and gets 410.
    int status = 0;
    for (int i = 0; i < 100 && status != 410; ++i) {
        status = fetch(unicom).result_int();
        std::this_thread::sleep_for(50ms);
    }
    CHECK(status == 410);

    // The mobile edge still owes the purge and still serves the deleted image: mobile viewers
    // are not sent there meanwhile, though its health checks pass.
    auto edge_for_mobile = [&] {
        return std::string(test::request(fleet.origin().port(), "GET",
                                         "/go/" + std::string(64, 'd') + "/list.jpg",
                                         "X-Forwarded-For: 1.2.4.1\r\n")["X-Imgline-Edge"]);
    };
    std::string meanwhile;
    for (int i = 0; i < 100 && !(meanwhile = edge_for_mobile()).starts_with("any;"); ++i) {
        std::this_thread::sleep_for(50ms);
    }
    CHECK(meanwhile == "any; carrier=mobile; reason=default-line");
    CHECK(fetch(mobile).result_int() == 200);
    CHECK(test::metric_sum(fleet.origin().port(), "imgline_edge_up", "edge=\"cm\"") == 1);

    // It accepts purges again (its cache survived): the purge is delivered, and it comes back.
    fleet.stop(cm);
    fleet.configure(cm, "127.0.0.1");
    fleet.start(cm);
    std::string now;
    for (int i = 0; i < 200 && !(now = edge_for_mobile()).starts_with("cm;"); ++i) {
        std::this_thread::sleep_for(50ms);
    }
    CHECK(now == "cm; carrier=mobile; reason=carrier-match");
    const auto after = fetch(mobile);
    CAPTURE(after["X-Cache"]);
    CHECK(after.result_int() == 410);
}
