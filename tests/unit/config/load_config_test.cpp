#include "config/load_config.h"

#include "common/sha256.h"
#include "config/toml_guard.h"
#include "config/validate_config.h"

#include <algorithm>

#include <catch2/catch.hpp>

using namespace imgline::config;
using namespace std::chrono_literals;

namespace {

bool has_problem(const ConfigProblems& problems, std::string_view key) {
    return std::any_of(problems.begin(), problems.end(),
                       [&](const ConfigProblem& problem) { return problem.key == key; });
}

}  // namespace

TEST_CASE("the built-in default runs with no file: port 8080, ./data, four presets",
          "[unit][config]") {
    const auto result = load_config(std::nullopt, {});
    REQUIRE(result.problems.empty());
    const Config& config = result.config;
    CHECK(config.server.listen == "0.0.0.0:8080");
    CHECK(config.storage.kind == "local");
    CHECK(config.storage.data_dir == "./data");
    CHECK(config.limits.header_bytes == 8192);
    CHECK(config.limits.upload_bytes == 25 * 1024 * 1024);
    CHECK(config.limits.max_pixels == 50'000'000);
    CHECK(config.limits.max_side == 16384);
    CHECK(config.limits.max_frames == 100);
    CHECK(config.limits.render_timeout == 10s);
    REQUIRE(config.presets.size() == 4);
    const auto detail = std::find_if(config.presets.begin(), config.presets.end(),
                                     [](const PresetConfig& p) { return p.name == "detail"; });
    REQUIRE(detail != config.presets.end());
    CHECK(detail->max_bytes == 204800);
    REQUIRE(config.brands.size() == 1);
    CHECK(config.brands[0].roles.at("main").aspect == "1:1");
    CHECK(validate(config).empty());
}

TEST_CASE("a TOML file overrides the defaults key by key", "[unit][config]") {
    const auto result = load_config_text(R"(
[server]
listen = "127.0.0.1:9000"
worker_threads = 3
header_timeout = "2s"

[limits]
upload_bytes = "10MiB"

[[presets]]
name = "square"
width = 600
height = 600
fit = "fill"
formats = ["avif", "webp", "jpeg"]
max_bytes = "150KiB"

[[brands]]
name = "acme"
block_on_fail = true
[brands.roles.main]
min_width = 1000
aspect = "1:1"

[[parties]]
kind = "supplier"
name = "acme"
key_sha256 = ["ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"]
brand = "acme"

[carriers]
data_dir = "data/carriers"
[[carriers.sources]]
carrier = "telecom"
files = ["chinanet.txt", "chinanet6.txt"]

[[edges]]
name = "ct-1"
carrier = "telecom"
base_url = "http://127.0.0.2:8081"
)",
                                         "test.toml", {});
    REQUIRE(result.problems.empty());
    const Config& config = result.config;
    CHECK(config.server.listen == "127.0.0.1:9000");
    CHECK(config.server.worker_threads == 3);
    CHECK(config.server.header_timeout == 2s);
    CHECK(config.server.idle_timeout == 30s);  // untouched keys keep their defaults
    CHECK(config.limits.upload_bytes == 10 * 1024 * 1024);
    REQUIRE(config.presets.size() == 1);  // a [[presets]] list replaces the built-in one
    CHECK(config.presets[0].formats == std::vector<std::string>{"avif", "webp", "jpeg"});
    CHECK(config.presets[0].max_bytes == 150 * 1024);
    CHECK(config.presets[0].quality_max == 90);
    REQUIRE(config.brands.size() == 1);
    CHECK(config.brands[0].block_on_fail);
    CHECK(config.brands[0].roles.at("main").min_width == 1000);
    CHECK(config.parties.at(0).brand == "acme");
    CHECK(config.carriers.sources.at(0).files.size() == 2);
    CHECK(config.edges.at(0).carrier == "telecom");
    CHECK(validate(config).empty());
}

TEST_CASE("IMGLINE_* variables override the file", "[unit][config]") {
    const Environment env{{"IMGLINE_LISTEN", "127.0.0.1:0"},
                          {"IMGLINE_DATA_DIR", "/tmp/imgline-data"},
                          {"IMGLINE_SERVER__WORKER_THREADS", "5"},
                          {"IMGLINE_LIMITS__UPLOAD_BYTES", "1MiB"},
                          {"IMGLINE_SHARED_DIR", "ignored: not a setting"},
                          {"IMGLINE_PARTIES", "supplier:acme:abc,admin:ops:k2,supplier:acme:k3"}};
    const auto result = load_config_text("[server]\nworker_threads = 2\n", "f.toml", env);
    REQUIRE(result.problems.empty());
    CHECK(result.config.server.listen == "127.0.0.1:0");
    CHECK(result.config.storage.data_dir == "/tmp/imgline-data");
    CHECK(result.config.server.worker_threads == 5);
    CHECK(result.config.limits.upload_bytes == 1024 * 1024);
    REQUIRE(result.config.parties.size() == 2);
    const auto& acme = result.config.parties[0];
    CHECK(acme.kind == "supplier");
    CHECK(acme.name == "acme");
    // Plain keys are hashed at load; the plain text is kept nowhere.
    CHECK(acme.key_sha256 ==
          std::vector<std::string>{imgline::sha256_hex("abc"), imgline::sha256_hex("k3")});
    CHECK(result.config.parties[1].kind == "admin");
    CHECK(validate(result.config).empty());
}

TEST_CASE("reading problems are all reported, each with its key", "[unit][config]") {
    const Environment env{{"IMGLINE_SERVER__NO_SUCH", "1"},
                          {"IMGLINE_SERVER__IO_THREADS", "many"},
                          {"IMGLINE_PARTIES", "supplier-without-key"}};
    const auto result = load_config_text(R"(
[server]
port = 8080
header_timeout = true
[limits]
max_pixels = "lots"
[mystery]
x = 1
[[presets]]
name = "a"
formats = [["nested"]]
fit = "stretch"
gravity = "north"
[[edges]]
name = "e"
url_auth = "alibaba-b"
)",
                                         "f.toml", env);
    const auto& problems = result.problems;
    CHECK(has_problem(problems, "server.port"));
    CHECK(has_problem(problems, "server.header_timeout"));
    CHECK(has_problem(problems, "limits.max_pixels"));
    CHECK(has_problem(problems, "mystery"));
    CHECK(has_problem(problems, "presets[0].formats"));
    // Enumerations are refused by the loader, naming what is allowed.
    CHECK(has_problem(problems, "presets[0].fit"));
    CHECK(has_problem(problems, "presets[0].gravity"));
    CHECK(has_problem(problems, "edges[0].url_auth"));
    const auto fit = std::find_if(problems.begin(), problems.end(), [](const auto& problem) {
        return problem.key == "presets[0].fit";
    });
    REQUIRE(fit != problems.end());
    CHECK(fit->message.find("'fit', 'fill' or 'pad'") != std::string::npos);
    CHECK(has_problem(problems, "IMGLINE_SERVER__NO_SUCH"));
    CHECK(has_problem(problems, "IMGLINE_SERVER__IO_THREADS"));
    CHECK(has_problem(problems, "IMGLINE_PARTIES[0]"));
    CHECK(problems.size() == 11);
}

TEST_CASE("a TOML syntax error names the file, line and column", "[unit][config]") {
    const auto result = load_config_text("[server]\nlisten = \n", "broken.toml", {});
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].key.starts_with("broken.toml:2:"));
}

TEST_CASE("a missing config file is a problem, not a crash", "[unit][config]") {
    const auto result = load_config(std::string("/nonexistent/imgline.toml"), {});
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].key == "/nonexistent/imgline.toml");
}

TEST_CASE("print_config round-trips through the loader", "[unit][config]") {
    auto original = load_config_text(R"(
[server]
public_base_url = "https://img.example.com"
[[parties]]
kind = "distributor"
name = "shop1"
key_sha256 = ["ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"]
)",
                                     "f.toml", {});
    REQUIRE(original.problems.empty());
    const std::string printed = print_config(original.config);
    const auto reloaded = load_config_text(printed, "printed.toml", {});
    REQUIRE(reloaded.problems.empty());
    CHECK(print_config(reloaded.config) == printed);
}

TEST_CASE("print_config prints no secret: signing keys and edge URL secrets are masked",
          "[unit][config]") {
    auto loaded = load_config_text(R"(
[signing]
keys = ["k1:signing-secret-0123456789"]
[[edges]]
name = "ct"
carrier = "default"
base_url = "http://ct.example"
url_auth = "nginx-secure-link"
url_auth_secret = "edge-secret-0123456789"
)",
                                   "f.toml", {});
    REQUIRE(loaded.problems.empty());
    const std::string printed = print_config(loaded.config);
    CHECK(printed.find("signing-secret-0123456789") == std::string::npos);
    CHECK(printed.find("edge-secret-0123456789") == std::string::npos);
    CHECK(printed.find("url_auth_secret = \"<secret>\"") != std::string::npos);
    CHECK(printed.find("k1:<secret>") != std::string::npos);
}

TEST_CASE("[storage.s3] is read from the file and IMGLINE_STORAGE__S3__*, its secret masked",
          "[unit][config][s3]") {
    const Environment env{{"IMGLINE_STORAGE__S3__SECRET_ACCESS_KEY", "s3-secret-0123456789"},
                          {"IMGLINE_STORAGE__S3__RETRIES", "5"}};
    auto loaded = load_config_text(R"(
[storage]
kind = "s3"
data_dir = "/var/cache/imgline"
[storage.s3]
endpoint = "http://127.0.0.1:9000"
bucket = "shop-photos"
prefix = "imgline/"
access_key_id = "AKIDEXAMPLE"
path_style = false
consistency_ttl = "2s"
)",
                                   "f.toml", env);
    REQUIRE(loaded.problems.empty());
    const auto& s3 = loaded.config.storage.s3;
    CHECK(s3.endpoint == "http://127.0.0.1:9000");
    CHECK(s3.bucket == "shop-photos");
    CHECK(s3.prefix == "imgline/");
    CHECK_FALSE(s3.path_style);
    CHECK(s3.retries == 5);
    CHECK(s3.consistency_ttl == std::chrono::milliseconds(2000));
    CHECK(s3.secret_access_key == "s3-secret-0123456789");
    CHECK(validate(loaded.config).empty());

    const std::string printed = print_config(loaded.config);
    CHECK(printed.find("s3-secret-0123456789") == std::string::npos);
    CHECK(printed.find("secret_access_key = \"<secret>\"") != std::string::npos);
    CHECK(printed.find("[storage.s3]") != std::string::npos);

    const auto unknown = load_config_text("[storage.s3]\nendpont = \"x\"\n", "f.toml", {});
    REQUIRE(unknown.problems.size() == 1);
    CHECK(unknown.problems[0].key == "storage.s3.endpont");
}

TEST_CASE("non-ASCII outside quotes and comments is refused before the TOML parser reads it",
          "[unit][config]") {
    // Found by the config fuzz target: toml++ 3.3.0 reaches undefined behaviour on these.
    for (const std::string text :
         {"caf\xC3\xA9 = 1\n", "[server]\nlisten = 1 \xC5\xBB\n", "x = 'a'\xC3\xA9\n"}) {
        CAPTURE(text);
        const auto loaded = load_config_text(text, "t.toml", {});
        REQUIRE(loaded.problems.size() == 1);
        CHECK(loaded.problems[0].message.starts_with("only ASCII may stand outside quotes"));
    }
    CHECK(stray_non_ascii_line("a = 1\nb = 2 \xC3\xA9\n") == 2u);
    // In strings of every kind and in comments it is welcome.
    const std::string fine =
        "\xEF\xBB\xBF# caf\xC3\xA9 \xE5\x92\x96\xE5\x95\xA1\n"
        "[server]\npublic_base_url = \"http://caf\xC3\xA9.example\" # \xC3\xA9\n"
        "[[brands]]\nname = 'caf\xC3\xA9'\n";
    CHECK_FALSE(stray_non_ascii_line(fine));
    CHECK_FALSE(stray_non_ascii_line("a = \"\"\"\n\xC3\xA9 \\\" \"\"\"\nb = '''\n\xC3\xA9\n'''\n"));
    CHECK_FALSE(stray_non_ascii_line("a = \"esc \\\" \xC3\xA9\"\n"));
    CHECK(stray_non_ascii_line("a = \"x\" \xC3\xA9\n") == 1u);
    // A quote inside a bare value opens no string (toml++ reads on, and reached the same UB).
    CHECK(stray_non_ascii_line("a=1\"\xCB\xB9") == 1u);
    CHECK(stray_non_ascii_line(
              "a = [\"\xC3\xA9\", '\xC3\xA9']\nb = {c = \"\xC3\xA9\"}\n\"k\xC3\xA9\" = 1\n")
              .has_value() == false);
}
