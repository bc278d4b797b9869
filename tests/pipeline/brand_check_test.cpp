// Brand checks with real libvips: synthetic product shots where the truth is known, corpus
// photos whose outcome is evident, and the fixes renditions apply.
#include "pipeline/brand_check.h"

#include "pipeline/probe.h"
#include "pipeline/render.h"
#include "tests/support/corpus.h"
#include "tests/support/vips_fixtures.h"

#include <catch2/catch.hpp>
#include <vips/vips8>

using namespace imgline;
using namespace imgline::pipeline;
using namespace std::chrono_literals;
using vips::VImage;

namespace {

const config::LimitsConfig kLimits{};

constexpr config::Rgb kWhite{255, 255, 255};

BrandReport must_check(std::string_view bytes,
                       const config::BrandConfig& brand = config::builtin_default_brand(),
                       std::string_view role = "main") {
    const auto info = probe(bytes, kLimits);
    REQUIRE(info);
    auto report = check_brand(bytes, *info, brand, role, Deadline::after(30s));
    if (!report) {
        FAIL(report.error().public_message + " / " + report.error().detail);
    }
    return std::move(*report);
}

Verdict verdict_of(const BrandReport& report, std::string_view rule) {
    for (const auto& result : report.rules) {
        if (result.rule == rule) {
            return result.verdict;
        }
    }
    FAIL("no rule " << rule);
    return Verdict::Fail;
}

// Which rules did not pass, sorted, for one-line assertions.
std::vector<std::string> not_passing(const BrandReport& report) {
    std::vector<std::string> names;
    for (const auto& result : report.rules) {
        if (result.verdict != Verdict::Pass) {
            names.push_back(result.rule);
        }
    }
    return names;
}

}  // namespace

TEST_CASE("a centred grey product on white passes the default brand", "[pipeline][brand]") {
    test::ensure_vips();
    const auto report = must_check(test::jpeg_of(test::product_shot(1000, 1000, 500, 250, 250)));
    CHECK(not_passing(report).empty());
    CHECK(report.verdict == Verdict::Pass);
    const auto& m = report.measurements;
    CHECK(m.border_match > 0.99);
    CHECK(m.product_found);
    CHECK(m.fill == Approx(0.5).margin(0.02));
    CHECK(m.centre_offset < 0.01);
    CHECK(m.product.left == Approx(0.25).margin(0.01));
    CHECK(m.lightness == Approx(46.0).margin(6.0));  // L* of grey 110
}

TEST_CASE("each spoilt product shot fails exactly the rule it spoils", "[pipeline][brand]") {
    test::ensure_vips();
    SECTION("shifted to a corner: centring") {
        const auto report = must_check(test::jpeg_of(test::product_shot(1000, 1000, 500, 40, 40)));
        CHECK(not_passing(report) == std::vector<std::string>{"centre"});
        CHECK(report.measurements.centre_offset == Approx(0.21).margin(0.02));
    }
    SECTION("on off-white: background") {
        const auto report = must_check(
            test::jpeg_of(test::product_shot(1000, 1000, 500, 250, 250, {232.0, 224.0, 208.0})));
        CHECK(verdict_of(report, "background") == Verdict::Fail);
        CHECK(report.measurements.border_match < 0.05);
        CHECK(report.measurements.border_colour.r == Approx(232).margin(3));
    }
    SECTION("out of focus: sharpness") {
        const VImage blurred = test::product_shot(1000, 1000, 500, 250, 250).gaussblur(6.0);
        const auto report = must_check(test::jpeg_of(blurred.cast(VIPS_FORMAT_UCHAR)));
        CHECK(not_passing(report) == std::vector<std::string>{"sharpness"});
        CHECK(report.measurements.sharpness < 20.0);
    }
    SECTION("too small: minimum size") {
        const auto report = must_check(test::jpeg_of(test::product_shot(600, 600, 300, 150, 150)));
        CHECK(not_passing(report) == std::vector<std::string>{"min_size"});
    }
    SECTION("too wide: aspect, with the pad fix offered and applied") {
        const auto report =
            must_check(test::jpeg_of(test::product_shot(1600, 1000, 500, 550, 250)));
        CHECK(not_passing(report) == std::vector<std::string>{"aspect"});
        CHECK(report.rules[1].fix == "pad_aspect");
        CHECK(report.rules[1].fix_applied);
    }
}

TEST_CASE("corpus photos whose outcome is evident", "[pipeline][brand]") {
    test::ensure_vips();
    const auto folder = test::data_dir() / "corpus";
    SECTION("a cut-out PNG passes the white background once flattened") {
        const auto report = must_check(test::read_bytes(folder / "rembg__car-2.out.png"));
        CHECK(verdict_of(report, "background") == Verdict::Pass);
        CHECK(report.measurements.transparent);
        CHECK(report.measurements.border_match > 0.95);
        CHECK(report.measurements.fill < 0.95);
    }
    SECTION("a full landscape photo fails the white-background rule") {
        const auto report = must_check(test::read_bytes(folder / "recurser__Landscape_5.jpg"));
        CHECK(verdict_of(report, "background") == Verdict::Fail);
        CHECK(report.measurements.border_match < 0.1);
    }
    SECTION("a Display P3 iPhone photo is convertible, not sRGB, and upright") {
        const auto report = must_check(test::read_bytes(folder / "bimg__test_exif_full.jpg"));
        CHECK_FALSE(report.measurements.is_srgb);
        CHECK(report.measurements.colour_space == "Display P3");
        CHECK(report.measurements.width == 3024);  // EXIF orientation 6 applied
        CHECK(verdict_of(report, "colour_space") == Verdict::Warn);
    }
    SECTION("a CMYK photo without a profile is reported as CMYK") {
        const auto report = must_check(
            test::read_bytes(folder / "sharp__Channel_digital_image_CMYK_color_no_profile.jpg"));
        CHECK(report.measurements.colour_space == "CMYK");
    }
}

TEST_CASE("measuring a 12 MP photo stays within its deadline or reports a timeout",
          "[pipeline][brand]") {
    test::ensure_vips();
    const std::string bytes =
        test::read_bytes(test::data_dir() / "corpus" / "bimg__test_exif_full.jpg");
    const auto info = probe(bytes, kLimits);
    REQUIRE(info);
    const auto expired = measure_brand(bytes, *info, MeasureSpec{kWhite, 6.0},
                                       Deadline::after(std::chrono::milliseconds(0)));
    REQUIRE_FALSE(expired);
    CHECK(expired.error().code == ErrorCode::Timeout);
}

TEST_CASE("brand fixes reshape renditions: pad to aspect, trim and re-centre, flatten",
          "[pipeline][brand][fix]") {
    test::ensure_vips();
    const config::Rgb cream{245, 241, 234};
    RenderPlan plan;
    plan.width = 800;
    plan.height = 800;
    plan.fit = Fit::Fit;
    plan.format = ImageFormat::Png;
    plan.background = cream;

    SECTION("pad to 1:1 on the brand background") {
        const std::string wide = test::png_of(test::product_shot(1600, 1000, 500, 550, 250));
        plan.fix.aspect = 1.0;
        const auto rendition = render(wide, plan, kLimits, Deadline::after(30s));
        REQUIRE(rendition);
        CHECK(rendition->width == 800);
        CHECK(rendition->height == 800);
        const VImage out =
            VImage::new_from_buffer(rendition->bytes.data(), rendition->bytes.size(), "");
        const auto corner = out.getpoint(2, 2);
        CHECK(corner[0] == Approx(cream.r).margin(2));
        CHECK(corner[2] == Approx(cream.b).margin(2));
        const auto inside = out.getpoint(20, 400);  // the original's white, not padding
        CHECK(inside[2] == Approx(255).margin(2));
    }
    SECTION("trim to the product and leave the margin around it, centred") {
        const std::string offset = test::png_of(test::product_shot(1000, 1000, 200, 100, 600));
        const auto before = must_check(offset);
        REQUIRE(before.measurements.product_found);
        CHECK(verdict_of(before, "centre") == Verdict::Fail);
        plan.fix.trim = before.measurements.product;
        plan.fix.margin = 0.1;
        plan.fix.aspect = 1.0;
        const auto rendition = render(offset, plan, kLimits, Deadline::after(30s));
        REQUIRE(rendition);
        CHECK(rendition->width == rendition->height);
        auto on_cream = config::builtin_default_brand();
        on_cream.roles["main"].background = "#f5f1ea";
        const auto after = must_check(rendition->bytes, on_cream);
        CHECK(after.measurements.centre_offset < 0.02);
        CHECK(after.measurements.fill == Approx(0.8).margin(0.03));
    }
    SECTION("flatten a cut-out even for a format that keeps alpha") {
        const std::string cutout =
            test::read_bytes(test::data_dir() / "corpus" / "rembg__car-2.out.png");
        plan.format = ImageFormat::Webp;
        auto kept = render(cutout, plan, kLimits, Deadline::after(30s));
        REQUIRE(kept);
        CHECK(VImage::new_from_buffer(kept->bytes.data(), kept->bytes.size(), "").has_alpha());
        plan.fix.flatten = true;
        auto flat = render(cutout, plan, kLimits, Deadline::after(30s));
        REQUIRE(flat);
        const VImage out = VImage::new_from_buffer(flat->bytes.data(), flat->bytes.size(), "");
        CHECK_FALSE(out.has_alpha());
        CHECK(out.getpoint(1, 1)[0] == Approx(cream.r).margin(4));
    }
}
