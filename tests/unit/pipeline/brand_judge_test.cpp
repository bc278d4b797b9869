// The brand judge is pure: measurements + rules → verdicts. Table-driven, no pixels.
#include "pipeline/brand_judge.h"

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::pipeline;

namespace {

// A square product photo on white that meets every rule of the built-in default brand.
BrandMeasurements good_main_photo() {
    BrandMeasurements m;
    m.format = "jpeg";
    m.bytes = 900'000;
    m.width = 1200;
    m.height = 1200;
    m.colour_space = "sRGB";
    m.is_srgb = true;
    m.against_background = true;
    m.border_match = 0.99;
    m.product_found = true;
    m.product = ShareBox{0.2, 0.2, 0.6, 0.6};
    m.fill = 0.6;
    m.centre_offset = 0.0;
    m.sharpness = 400.0;
    m.lightness = 55.0;
    m.clipped = 0.0;
    return m;
}

config::BrandConfig strict_brand() {
    config::BrandRules rules;
    rules.min_width = 1000;
    rules.min_height = 1000;
    rules.aspect = "1:1";
    rules.aspect_tolerance = 0.02;
    rules.background = "#ffffff";
    rules.border_match_min = 0.9;
    rules.fill_min = 0.5;
    rules.fill_max = 0.9;
    rules.centre_tolerance = 0.08;
    rules.sharpness_min = 50.0;
    rules.lightness_min = 25.0;
    rules.lightness_max = 85.0;
    rules.clipped_max = 0.02;
    rules.colour_space = "srgb";
    rules.formats = {"jpeg", "png"};
    rules.max_original_bytes = 10'000'000;
    rules.transparency_allowed = false;
    rules.fixes = {"pad_aspect", "trim", "flatten"};
    config::BrandConfig brand;
    brand.name = "strict";
    brand.block_on_fail = true;
    brand.roles.emplace("main", rules);
    return brand;
}

const RuleResult* find_rule(const BrandReport& report, std::string_view name) {
    for (const auto& rule : report.rules) {
        if (rule.rule == name) {
            return &rule;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("a photo that meets every rule passes every rule", "[unit][brand]") {
    const auto report = judge(good_main_photo(), strict_brand(), "main");
    CHECK(report.verdict == Verdict::Pass);
    CHECK_FALSE(report.blocked);
    CHECK(report.rules.size() == 12);  // every rule is configured in the strict brand
    for (const auto& rule : report.rules) {
        INFO(rule.rule);
        CHECK(rule.verdict == Verdict::Pass);
        CHECK(rule.fix.empty());
    }
    // The framing rules travel with the report, for the console to draw.
    CHECK(report.guides.fill_min == 0.5);
    CHECK(report.guides.fill_max == 0.9);
    CHECK(report.guides.centre_tolerance == 0.08);
    CHECK(report.guides.margin == 0.05);
    CHECK(judge(good_main_photo(), strict_brand(), "detail").guides.centre_tolerance == 1.0);
}

TEST_CASE("each rule fails on its own measurement, with the fix it offers", "[unit][brand]") {
    struct Row {
        const char* rule;
        void (*spoil)(BrandMeasurements&);
        const char* fix;
    };

    const Row rows[] = {
        {"min_size", [](BrandMeasurements& m) { m.width = m.height = 600; }, ""},
        {"aspect", [](BrandMeasurements& m) { m.width = 1600; }, "pad_aspect"},
        {"background", [](BrandMeasurements& m) { m.border_match = 0.5; }, ""},
        {"fill", [](BrandMeasurements& m) { m.fill = 0.3; }, "trim"},
        {"fill", [](BrandMeasurements& m) { m.fill = 0.97; }, "trim"},
        {"centre", [](BrandMeasurements& m) { m.centre_offset = 0.2; }, "trim"},
        {"sharpness", [](BrandMeasurements& m) { m.sharpness = 10.0; }, ""},
        {"lightness", [](BrandMeasurements& m) { m.lightness = 12.0; }, ""},
        {"lightness", [](BrandMeasurements& m) { m.lightness = 95.0; }, ""},
        {"highlights", [](BrandMeasurements& m) { m.clipped = 0.2; }, ""},
        {"colour_space",
         [](BrandMeasurements& m) {
             m.is_srgb = false;
             m.colour_space = "CMYK";
         },
         "convert_to_srgb"},
        {"format", [](BrandMeasurements& m) { m.format = "webp"; }, ""},
        {"original_bytes", [](BrandMeasurements& m) { m.bytes = 12'000'000; }, ""},
        {"transparency", [](BrandMeasurements& m) { m.transparent = true; }, "flatten"},
    };
    for (const auto& row : rows) {
        INFO(row.rule);
        BrandMeasurements m = good_main_photo();
        row.spoil(m);
        const auto report = judge(m, strict_brand(), "main");
        const RuleResult* result = find_rule(report, row.rule);
        REQUIRE(result != nullptr);
        CHECK(result->verdict == Verdict::Fail);
        CHECK(result->fix == row.fix);
        CHECK(result->fix_applied == (std::string_view(row.fix) != ""));
        CHECK_FALSE(result->message.empty());
        CHECK(report.verdict == Verdict::Fail);
        CHECK(report.blocked);
        // Every other rule still passes: a rule reads only its own measurement.
        const auto failing =
            std::count_if(report.rules.begin(), report.rules.end(),
                          [](const auto& r) { return r.verdict != Verdict::Pass; });
        CHECK(failing == 1);
    }
}

TEST_CASE("warn_only turns a failure into a warning that blocks nothing", "[unit][brand]") {
    auto brand = strict_brand();
    brand.roles["main"].warn_only = {"sharpness"};
    auto m = good_main_photo();
    m.sharpness = 1.0;
    const auto report = judge(m, brand, "main");
    CHECK(find_rule(report, "sharpness")->verdict == Verdict::Warn);
    CHECK(report.verdict == Verdict::Warn);
    CHECK_FALSE(report.blocked);
}

TEST_CASE("a brand that does not block only reports", "[unit][brand]") {
    auto brand = strict_brand();
    brand.block_on_fail = false;
    auto m = good_main_photo();
    m.width = 300;
    const auto report = judge(m, brand, "main");
    CHECK(report.verdict == Verdict::Fail);
    CHECK_FALSE(report.blocked);
}

TEST_CASE("fixes the brand does not list are offered but not applied", "[unit][brand]") {
    auto brand = strict_brand();
    brand.roles["main"].fixes.clear();
    auto m = good_main_photo();
    m.width = 1600;
    m.centre_offset = 0.3;
    const auto report = judge(m, brand, "main");
    CHECK(find_rule(report, "aspect")->fix == "pad_aspect");
    CHECK_FALSE(find_rule(report, "aspect")->fix_applied);
    CHECK_FALSE(find_rule(report, "centre")->fix_applied);
}

TEST_CASE("unconfigured rules are not reported, a role without rules passes", "[unit][brand]") {
    config::BrandConfig brand;
    brand.name = "loose";
    brand.roles["main"].min_width = 800;
    auto report = judge(good_main_photo(), brand, "main");
    // min_size, plus colour_space which every role reports.
    REQUIRE(report.rules.size() == 2);
    CHECK(report.rules[0].rule == "min_size");
    CHECK(report.rules[1].rule == "colour_space");

    report = judge(good_main_photo(), brand, "ad");
    CHECK(report.rules.empty());
    CHECK(report.verdict == Verdict::Pass);
}

TEST_CASE("a convertible colour space passes unless the brand asks for sRGB", "[unit][brand]") {
    auto m = good_main_photo();
    m.is_srgb = false;
    m.colour_space = "Display P3";
    config::BrandConfig brand;
    brand.roles["main"].colour_space = "convertible";
    auto result = *find_rule(judge(m, brand, "main"), "colour_space");
    CHECK(result.verdict == Verdict::Pass);
    CHECK(result.message.find("converts it to sRGB") != std::string::npos);
    brand.roles["main"].colour_space = "srgb";
    CHECK(find_rule(judge(m, brand, "main"), "colour_space")->verdict == Verdict::Fail);
}

TEST_CASE("a photo with no product fails fill and centring without a fix", "[unit][brand]") {
    auto m = good_main_photo();
    m.product_found = false;
    const auto report = judge(m, strict_brand(), "main");
    CHECK(find_rule(report, "fill")->verdict == Verdict::Fail);
    CHECK(find_rule(report, "fill")->fix.empty());
    CHECK(find_rule(report, "centre")->verdict == Verdict::Fail);
}

TEST_CASE("the measure is told the background only when a rule needs it", "[unit][brand]") {
    config::BrandConfig brand;
    brand.background = "#f5f1ea";
    config::BrandRules rules;
    CHECK_FALSE(measure_spec_for(brand, rules).background.has_value());
    rules.centre_tolerance = 0.1;  // framing is judged against the brand background
    REQUIRE(measure_spec_for(brand, rules).background.has_value());
    CHECK(measure_spec_for(brand, rules).background->r == 0xf5);
    rules.background = "#000000";
    rules.background_delta_e = 3.0;
    CHECK(measure_spec_for(brand, rules).background->r == 0);
    CHECK(measure_spec_for(brand, rules).delta_e == 3.0);
}
