#include "config/validate_config.h"

#include "tests/support/edges.h"

#include <algorithm>
#include <set>

#include <catch2/catch.hpp>

using namespace imgline::config;
using namespace std::chrono_literals;

namespace {

std::set<std::string> keys_of(const ConfigProblems& problems) {
    std::set<std::string> keys;
    for (const auto& problem : problems) {
        keys.insert(problem.key);
    }
    return keys;
}

}  // namespace

TEST_CASE("validate reports every bad value at once, by key", "[unit][config]") {
    Config config = builtin_config();
    config.server.listen = "localhost";
    config.server.io_threads = 0;
    config.server.queue_capacity = 0;
    config.server.header_timeout = 0ms;
    config.server.log_level = "loud";
    config.limits.header_bytes = 100;
    config.limits.body_bytes = config.limits.upload_bytes + 1;
    config.storage.kind = "ftp";
    config.storage.data_dir = "";
    config.presets[0].name = "Bad Name";
    config.presets[1].name = config.presets[2].name;
    config.presets[0].formats = {"webp", "gif", "webp"};
    config.presets[0].quality_min = 95;
    config.presets[0].quality_max = 90;
    config.presets[0].background = "white";
    config.brands[0].roles["hero"] = BrandRules{};
    config.brands[0].roles["main"].aspect = "square";
    config.brands[0].roles["main"].fill_min = 0.8;
    config.brands[0].roles["main"].fill_max = 0.5;
    config.brands[0].roles["main"].warn_only = {"sharpness", "blurriness"};
    config.brands[0].roles["main"].fixes = {"trim", "recolour"};
    config.brands[0].roles["main"].colour_space = "adobe";
    config.brands[0].roles["main"].margin = 0.6;
    config.parties.push_back(PartyConfig{"reseller", "shop", {"not-a-hash"}, "nobrand"});
    config.edges.push_back(imgline::test::make_edge("ct", "telecom", "ftp://x"));
    config.edges.back().weight = 0;

    const auto keys = keys_of(validate(config));
    const std::set<std::string> expected{
        "server.listen",
        "server.io_threads",
        "server.queue_capacity",
        "server.header_timeout",
        "server.log_level",
        "limits.header_bytes",
        "limits.body_bytes",
        "storage.kind",
        "storage.data_dir",
        "presets[0].name",
        "presets[2].name",
        "presets[0].formats",
        "presets[0].quality_max",
        "presets[0].background",
        "brands[0].roles.hero",
        "brands[0].roles.main.aspect",
        "brands[0].roles.main.fill_max",
        "brands[0].roles.main.warn_only",
        "brands[0].roles.main.fixes",
        "brands[0].roles.main.colour_space",
        "brands[0].roles.main.margin",
        "parties[0].kind",
        "parties[0].key_sha256",
        "parties[0].brand",
        "edges[0].carrier",
        "edges[0].base_url",
        "edges[0].weight",
    };
    for (const auto& key : expected) {
        CAPTURE(key);
        CHECK(keys.count(key) == 1);
    }
    CHECK(keys.size() == expected.size());
}

TEST_CASE("a key may belong to one party only", "[unit][config]") {
    Config config = builtin_config();
    const std::string hash(64, 'a');
    config.parties.push_back(PartyConfig{"supplier", "a", {hash}, ""});
    config.parties.push_back(PartyConfig{"distributor", "b", {hash}, ""});
    const auto problems = validate(config);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].key == "parties[1].key_sha256");

    // Hashes are matched ignoring case: the same key upper-cased for an admin is the same key.
    Config cased = builtin_config();
    cased.parties.push_back(PartyConfig{"supplier", "a", {std::string(64, 'c')}, ""});
    cased.parties.push_back(PartyConfig{"admin", "ops", {std::string(64, 'C')}, ""});
    const auto cased_problems = validate(cased);
    REQUIRE(cased_problems.size() == 1);
    CHECK(cased_problems[0].key == "parties[1].key_sha256");
}

TEST_CASE("carriers need a folder and edges a known carrier", "[unit][config]") {
    Config config = builtin_config();
    config.carriers.sources.push_back(CarrierSource{"telecom", {"chinanet.txt"}});
    config.carriers.sources.push_back(CarrierSource{"default", {}});
    config.edges.push_back(imgline::test::make_edge("ct", "telecom", "http://127.0.0.2:8081"));
    const auto keys = keys_of(validate(config));
    CHECK(keys == std::set<std::string>{"carriers.data_dir", "carriers.sources[1].carrier",
                                        "carriers.sources[1].files"});
}

TEST_CASE("a data_dir alone gives the standard carriers, steering settings are checked",
          "[unit][config]") {
    Config config = builtin_config();
    config.carriers.data_dir = "/etc/imgline/carriers";
    config.carriers.trusted_proxies = {"10.0.0.0/8", "::1", "2001:db8::/129", "proxy"};
    config.carriers.health_fall = 0;
    config.edges = {imgline::test::make_edge("cm", "mobile", "http://127.0.0.3:8081"),
                    imgline::test::make_edge("bgp", "multiline", "http://127.0.0.4:8081"),
                    imgline::test::make_edge("tt", "tietong", "http://127.0.0.5:8081"),
                    imgline::test::make_edge("ali", "telecom", "http://127.0.0.2:8081")};
    config.edges[3].url_auth = UrlAuth::AlibabaA;  // without a secret
    config.edges[1].url_auth = UrlAuth::NginxSecureLink;
    config.edges[1].url_auth_secret = "short";
    const auto sources = effective_carrier_sources(config.carriers);
    REQUIRE(sources.size() == 4);
    CHECK(sources[2].carrier == "mobile");
    CHECK(sources[2].files == std::vector<std::string>{"cmcc.txt", "cmcc6.txt"});
    const auto problems = validate(config);
    std::multiset<std::string> keys;
    for (const auto& problem : problems) {
        keys.insert(problem.key);
    }
    CHECK(keys == std::multiset<std::string>{"carriers.trusted_proxies", "carriers.trusted_proxies",
                                             "carriers.health_fall", "edges[2].carrier",
                                             "edges[3].url_auth_secret",
                                             "edges[1].url_auth_secret"});
}

TEST_CASE("names are lower-case tokens", "[unit][config]") {
    CHECK(is_valid_name("detail"));
    CHECK(is_valid_name("size_chart-2"));
    CHECK_FALSE(is_valid_name(""));
    CHECK_FALSE(is_valid_name("Main"));
    CHECK_FALSE(is_valid_name("-x"));
    CHECK_FALSE(is_valid_name("a/b"));
    CHECK_FALSE(is_valid_name(std::string(65, 'a')));
}

TEST_CASE("an S3 store needs an http endpoint, a bucket name and credentials",
          "[unit][config][s3]") {
    Config config = builtin_config();
    config.storage.kind = "s3";
    CHECK(keys_of(validate(config)) == std::set<std::string>{"storage.s3.endpoint",
                                                             "storage.s3.bucket",
                                                             "storage.s3.access_key_id"});
    config.storage.s3.endpoint = "http://127.0.0.1:9000";
    config.storage.s3.bucket = "photos";
    config.storage.s3.access_key_id = "id";
    config.storage.s3.secret_access_key = "secret";
    CHECK(validate(config).empty());

    for (const char* bad : {"Photos", "ab", "-photos", "photos_1", "photos."}) {
        CAPTURE(bad);
        config.storage.s3.bucket = bad;
        CHECK(keys_of(validate(config)) == std::set<std::string>{"storage.s3.bucket"});
    }
    config.storage.s3.bucket = "photos";
    config.storage.s3.endpoint = "https://s3.amazonaws.com";
    config.storage.s3.ca_file = "/etc/imgline/private-ca.pem";
    CHECK(validate(config).empty());
    config.storage.s3.endpoint = "ftp://s3.amazonaws.com";
    CHECK(keys_of(validate(config)) ==
          std::set<std::string>{"storage.s3.endpoint", "storage.s3.ca_file"});
    config.storage.s3.ca_file.clear();
    config.storage.s3.endpoint = "http://127.0.0.1:9000";
    config.storage.s3.prefix = "/imgline";
    config.storage.s3.multipart_threshold = 1024;
    CHECK(keys_of(validate(config)) ==
          std::set<std::string>{"storage.s3.prefix", "storage.s3.multipart_threshold"});
}
