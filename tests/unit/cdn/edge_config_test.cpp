// The nginx edge configuration and the DNS line records are pure text; check what they promise.
#include "cdn/edge_config.h"

#include "cdn/dns_lines.h"
#include "tests/support/edges.h"

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::cdn;

namespace {

bool has(const std::string& text, const std::string& needle) {
    return text.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("the nginx edge config caches by path, locks, serves stale and guards purges",
          "[unit][edges][nginx]") {
    EdgeSetup setup{
        {"127.0.0.1:8080"}, "/var/lib/imgline-edge/ct", "127.0.0.2:8081", {"10.0.0.1"}, "2g"};
    auto plain =
        nginx_edge_config(test::make_edge("ct", "telecom", "http://127.0.0.2:8081"), setup);
    REQUIRE(plain);
    CHECK(has(*plain, "keys_zone=imgline_ct:10m max_size=2g"));
    // Only the exact rendition path is forwarded, rebuilt from its captures (never $uri,
    // which nginx decodes: %0d%0a would split the request to the origin).
    CHECK(has(*plain, "location ~ \"^/i/([0-9a-f]{64})/([a-z0-9][a-z0-9_-]{0,63})"));
    CHECK(has(*plain, "proxy_pass http://imgline_origin/i/$1/$2$3$4;"));
    CHECK(has(*plain, "proxy_cache_key /i/$1/$2$3$4;"));
    CHECK_FALSE(has(*plain, "$uri;"));
    CHECK(has(*plain, "proxy_cache_lock on;"));
    CHECK(has(*plain, "proxy_cache_use_stale error timeout updating"));
    CHECK(has(*plain, "proxy_cache_background_update on;"));
    CHECK(has(*plain, "proxy_cache_revalidate on;"));
    CHECK(has(*plain, "allow 10.0.0.1;\n            deny all;"));
    CHECK(has(*plain, "listen 127.0.0.2:8081;"));
    CHECK(has(*plain, "server 127.0.0.1:8080;"));
    CHECK_FALSE(has(*plain, "secure_link"));

    // Product slot URLs: their own exact path, purged the same way, and never served stale
    // while being refreshed (an old photo would outlive products.slot_max_age).
    CHECK(has(*plain, "proxy_pass http://imgline_origin/p/$1/$2/$3/$4$5;"));
    CHECK(has(*plain, "location ~ \"^/purge/p/([a-z0-9][a-z0-9_-]{0,63})/([A-Za-z0-9._-]{1,64})/"));
    const auto slots_at = plain->find("location ~ \"^/p/");
    REQUIRE(slots_at != std::string::npos);
    const std::string slots =
        plain->substr(slots_at, plain->find("        }", slots_at) - slots_at);
    CHECK(has(slots, "proxy_cache_key /p/$1/$2/$3/$4$5;"));
    CHECK(has(slots, "proxy_cache_revalidate on;"));
    CHECK(has(slots, "proxy_cache_use_stale error timeout http_500"));
    CHECK_FALSE(has(slots, "updating"));
    CHECK_FALSE(has(slots, "background_update"));

    auto signed_edge = test::make_edge("ct", "telecom", "http://127.0.0.2:8081");
    signed_edge.url_auth = config::UrlAuth::NginxSecureLink;
    signed_edge.url_auth_secret = "edge-shared-secret-123";
    auto with_auth = nginx_edge_config(signed_edge, setup);
    REQUIRE(with_auth);
    CHECK(has(*with_auth, "secure_link_md5 \"$secure_link_expires$uri edge-shared-secret-123\";"));

    // Several origins over one object store: nginx spreads fetches over them, and takes purges
    // from each.
    setup.origins = {"10.0.0.1:8080", "10.0.0.2:8080"};
    setup.purge_from = {"10.0.0.1", "10.0.0.2"};
    auto two = nginx_edge_config(signed_edge, setup);
    REQUIRE(two);
    CHECK(has(*two, "server 10.0.0.1:8080;\n        server 10.0.0.2:8080;\n        keepalive"));
    CHECK(has(*two, "allow 10.0.0.1;\n            allow 10.0.0.2;\n            deny all;"));
    setup.origins = {"10.0.0.1:8080", "10.0.0.2:8080; include /etc/passwd"};
    CHECK_FALSE(nginx_edge_config(signed_edge, setup));
    setup.origins.clear();
    CHECK_FALSE(nginx_edge_config(signed_edge, setup));
    setup.origins = {"10.0.0.1:8080"};

    setup.directory = "/tmp/x; rm -rf /";
    CHECK_FALSE(nginx_edge_config(signed_edge, setup));
    setup.directory = "/tmp/x";
    signed_edge.url_auth_secret = "quote\"inside-the-secret";
    CHECK_FALSE(nginx_edge_config(signed_edge, setup));
}

TEST_CASE("DNS lines point each carrier at its edges, with the steering fallbacks",
          "[unit][edges][dns]") {
    const std::vector<config::EdgeConfig> edges{
        test::make_edge("ct", "telecom", "https://img-ct.example.com"),
        test::make_edge("ct2", "telecom", "https://img-ct2.example.com"),
        test::make_edge("bgp", "multiline", "http://203.0.113.7"),
        test::make_edge("v6", "default", "http://[2001:db8::1]")};
    const auto records = dns_line_records(edges, {"telecom", "unicom"});
    REQUIRE(records.size() == 4);
    CHECK(records[0].line == "电信");
    CHECK(records[0].type == "CNAME");
    CHECK(records[0].target == "img-ct.example.com.");
    CHECK(records[1].edge == "ct2");
    CHECK(records[2].line == "联通");
    CHECK(records[2].type == "A");
    CHECK(records[2].reason == "multiline-fallback");
    CHECK(records[3].line == "默认");
    CHECK(records[3].type == "AAAA");
    CHECK(records[3].target == "2001:db8::1");

    const std::string views =
        bind_views("img.example.com", records,
                   {{"telecom", "chinanet.txt", "1.0.0.0/24\n2.0.0.0/8\n"}}, "/etc/bind/imgline");
    CHECK(has(views, "acl \"imgline-telecom\" {\n    1.0.0.0/24;\n    2.0.0.0/8;\n};"));
    CHECK(has(views, "match-clients { \"imgline-telecom\"; };"));
    CHECK(views.rfind("match-clients { any; };") > views.rfind("imgline-unicom"));
    const std::string zone = bind_zone("img.example.com", "telecom", records);
    CHECK(has(zone, "$ORIGIN example.com."));
    CHECK(has(zone, "img IN CNAME img-ct.example.com."));
    CHECK(has(zone, "img IN CNAME img-ct2.example.com."));
    CHECK_FALSE(has(zone, "203.0.113.7"));
}
