// docs/imgline.example.toml is the operator's reference: it must load cleanly and mention
// every key imgline reads, so the documentation cannot fall behind the code.
#include "config/field_table.h"
#include "config/load_config.h"
#include "config/validate_config.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

using namespace imgline::config;

namespace {

std::string example_text() {
    std::ifstream file(std::string(IMGLINE_SOURCE_DIR) + "/docs/imgline.example.toml");
    REQUIRE(file);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

// Keys written in the file, commented out ("# key = …") or not, per preceding section header.
std::set<std::string> documented_keys(const std::string& text) {
    static const std::regex header(R"(^\s*#?\s*\[\[?([a-z_.0-9]+)\]\]?\s*$)");
    static const std::regex assignment(R"(^\s*#?\s*([a-z_0-9]+)\s*=)");
    std::set<std::string> keys;
    std::string section;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        std::smatch match;
        if (std::regex_match(line, match, header)) {
            section = match[1];
            if (section.starts_with("brands.roles.")) {
                section = "brands.roles";
            }
        } else if (std::regex_search(line, match, assignment)) {
            keys.insert(section + "." + match[1].str());
        }
    }
    return keys;
}

template <class T>
void require_documented(const std::set<std::string>& keys,
                        const std::string& section,
                        const FieldTable<T>& table) {
    for (const auto& field : table.fields()) {
        const std::string key = section + "." + field.name;
        CAPTURE(key);
        CHECK(keys.count(key) == 1);
    }
}

}  // namespace

TEST_CASE("the example configuration loads and validates without problems", "[unit][config]") {
    const auto result = load_config_text(example_text(), "imgline.example.toml", {});
    for (const auto& problem : result.problems) {
        FAIL(problem.key + ": " + problem.message);
    }
    for (const auto& problem : validate(result.config)) {
        FAIL(problem.key + ": " + problem.message);
    }
    CHECK(result.config.brands.size() >= 2);
}

TEST_CASE("the example configuration documents every key", "[unit][config]") {
    const auto keys = documented_keys(example_text());
    require_documented(keys, "server", server_fields());
    require_documented(keys, "limits", limits_fields());
    require_documented(keys, "storage", storage_fields());
    require_documented(keys, "storage.s3", s3_fields());
    require_documented(keys, "presets", preset_fields());
    require_documented(keys, "brands", brand_fields());
    require_documented(keys, "brands.roles", brand_rules_fields());
    require_documented(keys, "parties", party_fields());
    require_documented(keys, "carriers", carriers_fields());
    require_documented(keys, "carriers.sources", carrier_source_fields());
    require_documented(keys, "edges", edge_fields());
}
