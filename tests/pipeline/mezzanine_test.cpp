#include "pipeline/mezzanine.h"

#include "config/config.h"
#include "pipeline/image_format.h"
#include "pipeline/render.h"
#include "tests/support/corpus.h"
#include "tests/support/image_checks.h"

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::pipeline;
using namespace std::chrono_literals;

namespace {

const config::LimitsConfig kLimits{};

std::string corpus(const std::string& name) {
    return test::read_bytes(test::data_dir() / "corpus" / name);
}

std::vector<Mezzanine> must_mezzanines(const std::string& original, int max_side) {
    const auto info = probe(original, kLimits);
    REQUIRE(info);
    auto made = make_mezzanines(original, *info, max_side, Deadline::after(60s));
    REQUIRE(made);
    return std::move(*made);
}

RenderPlan detail_plan(ImageFormat format) {
    const auto config = config::builtin_config();
    for (const auto& preset : config.presets) {
        if (preset.name == "detail") {
            return *make_plan(preset, format);
        }
    }
    FAIL("no detail preset");
    return {};
}

}  // namespace

TEST_CASE("the mezzanines of an iPhone photo are upright, sRGB, stripped, 2400 and 1200 px long",
          "[pipeline][mezzanine]") {
    test::ensure_vips();
    // 4032x3024 stored sideways (EXIF orientation 6), Display P3.
    const std::string original = corpus("bimg__test_exif_full.jpg");
    const auto made = must_mezzanines(original, 2400);
    REQUIRE(made.size() == 2);
    CHECK(made[0].side == 2400);
    CHECK(made[1].side == 1200);
    for (const auto& [side, bytes] : made) {
        CAPTURE(side);
        CHECK(sniff_format(bytes) == ImageFormat::Jpeg);
        const auto decoded = test::decode(bytes);
        CHECK(decoded.width == side * 3 / 4);
        CHECK(decoded.height == side);
        CHECK_FALSE(decoded.has_icc);
        CHECK_FALSE(decoded.has_exif);
    }
    const std::string& mezzanine = made[0].bytes;
    const auto decoded = test::decode(mezzanine);
    // Rendered from it, the detail image is the one rendered from the original.
    const auto plan = detail_plan(ImageFormat::Jpeg);
    REQUIRE(covers({decoded.width, decoded.height}, plan));
    const auto from_original = render(original, plan, kLimits, Deadline::after(60s));
    const auto from_mezzanine = render(mezzanine, plan, kLimits, Deadline::after(60s));
    REQUIRE(from_original);
    REQUIRE(from_mezzanine);
    CHECK(from_mezzanine->width == from_original->width);
    CHECK(from_mezzanine->height == from_original->height);
    CHECK(test::mean_difference(from_mezzanine->bytes, from_original->bytes) < 1.5);
    CHECK(test::hamming(test::dhash(from_mezzanine->bytes), test::dhash(from_original->bytes)) <=
          2);
    // At 800 px the original is reduced 5×, so its render is sharpened; from the 1200 px
    // mezzanine, told the original's size, it is sharpened the same: the two stay close, and
    // closer than without the hint. The original is decoded the careful way (libvips' decode
    // margin of 2, not the quick 1/4 DCT decode, whose own crispness would blur the comparison),
    // and the quality is fixed, so that only the pixels differ, not the budget search's choices.
    auto small = plan;
    small.width = small.height = 800;
    small.budget.quality_min = small.budget.quality_max = 85;
    auto careful = small;
    careful.decode_margin = 2.0;
    const auto small_from_original = render(original, careful, kLimits, Deadline::after(60s));
    auto hinted = small;
    hinted.original_long_side = 4032;
    const auto with_hint = render(made[1].bytes, hinted, kLimits, Deadline::after(60s));
    const auto without_hint = render(made[1].bytes, small, kLimits, Deadline::after(60s));
    REQUIRE(small_from_original);
    REQUIRE(with_hint);
    REQUIRE(without_hint);
    const double hinted_difference =
        test::mean_difference(with_hint->bytes, small_from_original->bytes);
    CAPTURE(hinted_difference);
    CHECK(hinted_difference < 1.5);
    CHECK(hinted_difference <
          test::mean_difference(without_hint->bytes, small_from_original->bytes));
}

TEST_CASE("a cut-out keeps its transparency in a PNG mezzanine, small originals get none",
          "[pipeline][mezzanine]") {
    test::ensure_vips();
    const std::string cutout = corpus("rembg__car-2.out.png");  // 1000x667
    const auto made = must_mezzanines(cutout, 1200);            // only the 600 px one is smaller
    REQUIRE(made.size() == 1);
    CHECK(made[0].side == 600);
    CHECK(sniff_format(made[0].bytes) == ImageFormat::Png);
    const auto decoded = test::decode(made[0].bytes);
    CHECK(std::max(decoded.width, decoded.height) == 600);
    CHECK(decoded.bands == 4);
    CHECK(must_mezzanines(cutout, 0).empty());
    CHECK(must_mezzanines(cutout, 2000).empty());  // 2000 and 1000: neither is smaller
}

TEST_CASE("a source covers a plan only when the render would enlarge nothing",
          "[pipeline][mezzanine]") {
    RenderPlan plan;
    plan.width = 1600;
    plan.height = 1600;
    plan.fit = Fit::Fit;
    CHECK(covers({1800, 2400}, plan));  // 1200x1600 needs no more than it has
    CHECK_FALSE(covers({900, 1200}, plan));
    plan.fit = Fit::Pad;
    CHECK(covers({1800, 2400}, plan));
    plan.fit = Fit::Fill;  // 1600x1600 cut from the width: the full 1800 is not enough
    plan.width = plan.height = 2000;
    CHECK_FALSE(covers({1800, 2400}, plan));
    plan.width = plan.height = 1800;
    CHECK(covers({1800, 2400}, plan));
    plan.fit = Fit::Fit;
    plan.width = plan.height = 1000;
    plan.fix.trim = ShareBox{0.25, 0.25, 0.4, 0.4};  // only 720x960 of the source is kept
    CHECK_FALSE(covers({1800, 2400}, plan));
    plan.width = plan.height = 960;
    CHECK(covers({1800, 2400}, plan));
    CHECK_FALSE(covers({0, 0}, plan));
}
