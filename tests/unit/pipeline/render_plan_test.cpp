#include "pipeline/render_plan.h"

#include "config/config.h"

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::pipeline;

namespace {

RenderPlan plan(Fit fit, int width, int height, bool upscale = false) {
    RenderPlan p;
    p.fit = fit;
    p.width = width;
    p.height = height;
    p.upscale = upscale;
    return p;
}

}  // namespace

TEST_CASE("output sizes follow the geometry of each fit", "[unit][pipeline][geometry]") {
    struct Case {
        Size input;
        RenderPlan plan;
        Size expected;
    };

    const Case cases[] = {
        {{4000, 3000}, plan(Fit::Fit, 1600, 1600), {1600, 1200}},
        {{3000, 4000}, plan(Fit::Fit, 1600, 1600), {1200, 1600}},
        {{800, 600}, plan(Fit::Fit, 1600, 1600), {800, 600}},          // never upscaled
        {{800, 600}, plan(Fit::Fit, 1600, 1600, true), {1600, 1200}},  // unless allowed
        {{4000, 3000}, plan(Fit::Fill, 240, 240), {240, 240}},
        {{200, 100}, plan(Fit::Fill, 240, 240), {200, 100}},  // small: nothing to crop
        {{300, 100}, plan(Fit::Fill, 240, 240), {240, 100}},
        {{4000, 3000}, plan(Fit::Pad, 800, 800), {800, 800}},
        {{100, 50}, plan(Fit::Pad, 800, 800), {800, 800}},  // padded to the box
    };
    for (const auto& c : cases) {
        CAPTURE(c.input.width, c.input.height, c.plan.width, c.plan.height,
                static_cast<int>(c.plan.fit), c.plan.upscale);
        CHECK(output_size(c.input, c.plan) == c.expected);
    }
}

TEST_CASE("a plan comes from a preset and one of its formats", "[unit][pipeline][plan]") {
    config::PresetConfig preset;
    preset.name = "main";
    preset.width = 800;
    preset.height = 600;
    preset.fit = config::FitMode::Pad;
    preset.gravity = config::CropGravity::Attention;
    preset.background = "#102030";
    preset.formats = {"webp", "jpeg"};
    preset.max_bytes = 150000;
    preset.quality_min = 45;
    preset.quality_max = 85;

    const auto made = make_plan(preset, ImageFormat::Webp);
    REQUIRE(made);
    CHECK(made->fit == Fit::Pad);
    CHECK(made->gravity == Gravity::Attention);
    CHECK(made->background.r == 0x10);
    CHECK(made->background.b == 0x30);
    CHECK(made->budget.max_bytes == 150000);
    CHECK(made->budget.quality_min == 45);
    CHECK(made->budget.quality_max == 85);

    const auto refused = make_plan(preset, ImageFormat::Avif);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::BadRequest);
    CHECK_FALSE(make_plan(preset, ImageFormat::Gif));
}
