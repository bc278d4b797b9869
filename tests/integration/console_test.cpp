// The console as the server ships it: the page and its files from the binary, a strict
// Content-Security-Policy, long caching by version, nothing from other origins, small.
#include "server/web_assets.h"
#include "tests/support/http_client.h"
#include "tests/support/test_server.h"

#include <regex>

#include <catch2/catch.hpp>

using namespace imgline;

TEST_CASE("the console is served by imgline: one page, versioned files, a strict CSP",
          "[integration][console]") {
    test::TestServer server;
    const auto root = test::request(server.port(), "GET", "/");
    CHECK(root.result_int() == 302);
    CHECK(root["Location"] == "/console");

    const auto page = test::request(server.port(), "GET", "/console");
    REQUIRE(page.result_int() == 200);
    CHECK(page["Content-Type"] == "text/html; charset=utf-8");
    CHECK(page["Cache-Control"] == "no-cache");
    const std::string policy(page["Content-Security-Policy"]);
    CHECK(policy.find("default-src 'self'") != std::string::npos);
    CHECK(policy.find("frame-ancestors 'none'") != std::string::npos);
    CHECK(policy.find("unsafe-inline") == std::string::npos);
    CHECK(page["X-Content-Type-Options"] == "nosniff");

    // The page names its files under one version; they are cached for a year under it.
    std::smatch found;
    const std::string html = page.body();
    REQUIRE(std::regex_search(html, found, std::regex("/console/assets/([0-9a-f]{16})/app\\.js")));
    const std::string version = found[1];
    CHECK(html.find("{{version}}") == std::string::npos);
    std::size_t transferred = html.size();
    for (const auto& asset : server::web_assets()) {
        CAPTURE(asset.name);
        // Nothing loaded from another origin: no absolute URL in any file.
        CHECK(std::string(asset.bytes).find("://") == std::string::npos);
        if (asset.name == "index.html") {
            continue;
        }
        const auto file = test::request(
            server.port(), "GET", "/console/assets/" + version + "/" + std::string(asset.name));
        REQUIRE(file.result_int() == 200);
        CHECK(file.body() == asset.bytes);
        CHECK(file["Cache-Control"] == "public, max-age=31536000, immutable");
        CHECK(!std::string(file["Content-Security-Policy"]).empty());
        transferred += file.body().size();
    }
    CHECK(transferred < 100 * 1024);  // the first load, uncompressed

    const auto app = test::request(server.port(), "GET", "/console/assets/" + version + "/app.js");
    CHECK(app["Content-Type"] == "text/javascript; charset=utf-8");
    CHECK(test::request(server.port(), "GET",
                        "/console/assets/0123456789abcdef/app.js")["Cache-Control"] == "no-cache");
    CHECK(test::request(server.port(), "GET", "/console/assets/" + version + "/nope.js")
              .result_int() == 404);
    CHECK(test::request(server.port(), "GET", "/console/assets/" + version + "/..%2fserver")
              .result_int() == 404);
}
