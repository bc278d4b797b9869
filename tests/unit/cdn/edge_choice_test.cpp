// Edge choice (rendezvous hashing with fallbacks), edge health, viewer addresses, and the edge
// URL signatures with the vendors' documented examples.
#include "cdn/edge_choice.h"

#include "cdn/edge_url_auth.h"
#include "cdn/viewer_address.h"
#include "tests/support/edges.h"

#include <map>

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::cdn;

namespace {

std::string key(int i) {
    return "image-" + std::to_string(i);
}

}  // namespace

TEST_CASE("viewers go to their carrier's edge, then multiline, default, origin", "[unit][edges]") {
    const std::vector<config::EdgeConfig> edges{
        test::make_edge("ct1", "telecom"), test::make_edge("cu1", "unicom"),
        test::make_edge("bgp", "multiline"), test::make_edge("any", "default")};
    std::vector<bool> up(edges.size(), true);
    auto choose = [&](std::string_view carrier) { return choose_edge(edges, up, carrier, "k"); };

    CHECK(choose("telecom").edge->name == "ct1");
    CHECK(choose("telecom").reason == SteerReason::CarrierMatch);
    CHECK(choose("unicom").edge->name == "cu1");
    CHECK(choose("mobile").edge->name == "bgp");  // no mobile edge
    CHECK(choose("mobile").reason == SteerReason::MultilineFallback);
    CHECK(choose("default").edge->name == "any");
    CHECK(choose("default").reason == SteerReason::DefaultLine);

    up[0] = false;  // the telecom edge is down
    CHECK(choose("telecom").edge->name == "bgp");
    up[2] = false;
    CHECK(choose("telecom").edge->name == "any");
    CHECK(choose("telecom").reason == SteerReason::DefaultLine);
    up[3] = false;
    CHECK(choose("telecom").edge == nullptr);
    CHECK(choose("telecom").reason == SteerReason::OriginFallback);
    CHECK(reason_name(choose("telecom").reason) == "origin-fallback");
}

TEST_CASE("each image stays on one edge, removing an edge moves only its images", "[unit][edges]") {
    std::vector<config::EdgeConfig> edges{test::make_edge("ct1", "telecom"),
                                          test::make_edge("ct2", "telecom"),
                                          test::make_edge("ct3", "telecom")};
    const std::vector<bool> up(3, true);
    std::map<std::string, int> counts;
    std::map<std::string, std::string> before;
    for (int i = 0; i < 3000; ++i) {
        const auto* chosen = choose_edge(edges, up, "telecom", key(i)).edge;
        before[key(i)] = chosen->name;
        ++counts[chosen->name];
        CHECK(choose_edge(edges, up, "telecom", key(i)).edge == chosen);  // stable
    }
    for (const auto& [name, count] : counts) {
        CAPTURE(name);
        CHECK(count > 800);  // about a third each
        CHECK(count < 1200);
    }
    edges.erase(edges.begin() + 1);  // ct2 leaves
    for (int i = 0; i < 3000; ++i) {
        const std::string now = choose_edge(edges, {true, true}, "telecom", key(i)).edge->name;
        if (before[key(i)] != "ct2") {
            CHECK(now == before[key(i)]);
        }
    }
}

TEST_CASE("weights share an image set in proportion", "[unit][edges]") {
    const std::vector<config::EdgeConfig> edges{test::make_edge("big", "unicom", "", 300),
                                                test::make_edge("small", "unicom", "", 100)};
    int big = 0;
    for (int i = 0; i < 4000; ++i) {
        big += choose_edge(edges, {true, true}, "unicom", key(i)).edge->name == "big" ? 1 : 0;
    }
    CHECK(big > 2800);  // 3000 expected
    CHECK(big < 3200);
}

TEST_CASE("an edge leaves after `fall` failed polls and returns after `rise` good ones",
          "[unit][edges]") {
    HealthState state(2, 3);
    CHECK(state.up());
    CHECK_FALSE(state.record(false));
    CHECK_FALSE(state.record(false));
    CHECK_FALSE(state.record(true));  // a good poll resets the streak
    CHECK_FALSE(state.record(false));
    CHECK_FALSE(state.record(false));
    CHECK(state.record(false));
    CHECK_FALSE(state.up());
    CHECK_FALSE(state.record(true));
    CHECK(state.record(true));
    CHECK(state.up());
}

TEST_CASE("the viewer is the peer unless a trusted proxy forwarded the request", "[unit][edges]") {
    std::vector<std::string> problems;
    const AddressSet trusted({"127.0.0.1", "10.0.0.0/8", "::1", "nonsense"}, &problems);
    CHECK(problems.size() == 1);
    auto viewer = [&](std::string_view peer, std::string_view xff) {
        const auto address = viewer_address(peer, xff, trusted);
        REQUIRE(address);
        return address->value;
    };
    const auto value = [](std::string_view text) { return parse_ip(text)->value; };
    // An untrusted peer's X-Forwarded-For is ignored (it could say anything).
    CHECK(viewer("203.0.113.9", "1.2.3.4") == value("203.0.113.9"));
    // A trusted peer: the right-most address that is not a trusted proxy.
    CHECK(viewer("127.0.0.1", "1.2.3.4") == value("1.2.3.4"));
    CHECK(viewer("127.0.0.1", "9.9.9.9, 1.2.3.4, 10.1.1.1") == value("1.2.3.4"));
    CHECK(viewer("127.0.0.1", "10.2.2.2, 10.1.1.1") == value("10.2.2.2"));
    CHECK(viewer("127.0.0.1", "garbage, 1.2.3.4") == value("1.2.3.4"));
    CHECK(viewer("127.0.0.1", "") == value("127.0.0.1"));
    CHECK(viewer("::1", "2001:db8::5") == value("2001:db8::5"));
    CHECK_FALSE(viewer_address("not-an-ip", "", trusted));
}

TEST_CASE("type A auth_key matches the vendors' documented example", "[unit][edges][auth]") {
    // Tencent Cloud CDN TypeA documentation (the same scheme as Alibaba Cloud's type A):
    // md5sum(/test.jpg-1582791032-im1acp76sx9sdqe601v-0-dimtm5evg50ijsx2hvuwyfoiu65)
    //   = 3fbb88382c9356b6faaf9d68c7b2ae3a
    CHECK(alibaba_a_hash("/test.jpg", "1582791032", "im1acp76sx9sdqe601v", "0",
                         "dimtm5evg50ijsx2hvuwyfoiu65") == "3fbb88382c9356b6faaf9d68c7b2ae3a");
    const std::string query =
        alibaba_a_query("/i/abc/main.jpg", 1'700'000'000, "r4nd", "a-long-shared-secret");
    REQUIRE(query.starts_with("auth_key=1700000000-r4nd-0-"));
    const std::string value = query.substr(9);
    const std::string secret = "a-long-shared-secret";
    CHECK(verify_alibaba_a("/i/abc/main.jpg", value, secret, 1'700'000'100, 3600) ==
          UrlAuthResult::Valid);
    CHECK(verify_alibaba_a("/i/abc/main.jpg", value, secret, 1'700'003'601, 3600) ==
          UrlAuthResult::Expired);
    CHECK(verify_alibaba_a("/i/abc/other.jpg", value, secret, 1'700'000'100, 3600) ==
          UrlAuthResult::Invalid);
    CHECK(verify_alibaba_a("/i/abc/main.jpg", value, "another-secret-xx", 1'700'000'100, 3600) ==
          UrlAuthResult::Invalid);
    CHECK(verify_alibaba_a("/i/abc/main.jpg", "1700000000-r4nd", secret, 1'700'000'100, 3600) ==
          UrlAuthResult::Invalid);
}

TEST_CASE("nginx secure_link hashes match the nginx documentation", "[unit][edges][auth]") {
    // nginx.org ngx_http_secure_link_module: secure_link_md5
    // "$secure_link_expires$uri$remote_addr secret" for expires 2147483647, /s/link, 127.0.0.1
    // gives _e4Nc3iduzkWRm01TBBNYw.
    CHECK(nginx_secure_link_hash("/s/link", 2147483647, "secret", "127.0.0.1") ==
          "_e4Nc3iduzkWRm01TBBNYw");
    const std::string secret = "a-long-shared-secret";
    const auto query = nginx_secure_link_query("/i/abc/main.jpg", 1'700'000'000, secret);
    const auto md5 = query.substr(4, query.find('&') - 4);
    CHECK(query.ends_with("&expires=1700000000"));
    CHECK(verify_nginx_secure_link("/i/abc/main.jpg", md5, "1700000000", secret, 1'699'999'999) ==
          UrlAuthResult::Valid);
    CHECK(verify_nginx_secure_link("/i/abc/main.jpg", md5, "1700000000", secret, 1'700'000'001) ==
          UrlAuthResult::Expired);
    CHECK(verify_nginx_secure_link("/i/abc/main.jpg", md5, "1700000001", secret, 1'600'000'000) ==
          UrlAuthResult::Invalid);
    CHECK(verify_nginx_secure_link("/i/abc/main.jpg", md5, "soon", secret, 0) ==
          UrlAuthResult::Invalid);
}
