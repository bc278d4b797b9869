#include "pipeline/render_plan.h"

#include <algorithm>
#include <cmath>

namespace imgline::pipeline {

Expected<RenderPlan> make_plan(const config::PresetConfig& preset, ImageFormat format) {
    const auto offered =
        std::find_if(preset.formats.begin(), preset.formats.end(),
                     [&](const std::string& name) { return parse_format_name(name) == format; });
    if (offered == preset.formats.end() || !is_output_format(format)) {
        return fail(ErrorCode::BadRequest, "the preset '" + preset.name + "' is not offered as " +
                                               std::string(format_name(format)));
    }
    RenderPlan plan;
    plan.width = static_cast<int>(preset.width);
    plan.height = static_cast<int>(preset.height);
    plan.fit = preset.fit == config::FitMode::Fill  ? Fit::Fill
               : preset.fit == config::FitMode::Pad ? Fit::Pad
                                                    : Fit::Fit;
    plan.gravity =
        preset.gravity == config::CropGravity::Attention ? Gravity::Attention : Gravity::Centre;
    plan.background = config::parse_rgb(preset.background).value_or(config::Rgb{255, 255, 255});
    plan.format = format;
    plan.budget = Budget{preset.max_bytes, static_cast<int>(preset.quality_min),
                         static_cast<int>(preset.quality_max)};
    plan.upscale = preset.upscale;
    plan.serve_unmet_budget = preset.serve_unmet_budget;
    return plan;
}

namespace {

// `input` scaled by the smaller (fit) or larger (cover) of the box's two scales.
Size scaled_to_box(Size input, const RenderPlan& plan, bool cover) {
    const double scale_x = static_cast<double>(plan.width) / input.width;
    const double scale_y = static_cast<double>(plan.height) / input.height;
    double scale = cover ? std::max(scale_x, scale_y) : std::min(scale_x, scale_y);
    if (!plan.upscale) {
        scale = std::min(scale, 1.0);
    }
    return Size{std::max(1, static_cast<int>(std::lround(input.width * scale))),
                std::max(1, static_cast<int>(std::lround(input.height * scale)))};
}

}  // namespace

Size cover_size(Size input, const RenderPlan& plan) {
    return scaled_to_box(input, plan, true);
}

Size output_size(Size input, const RenderPlan& plan) {
    switch (plan.fit) {
        case Fit::Fit:
            return scaled_to_box(input, plan, false);
        case Fit::Pad:
            return Size{plan.width, plan.height};
        case Fit::Fill: {
            const Size cover = cover_size(input, plan);
            return Size{std::min(cover.width, plan.width), std::min(cover.height, plan.height)};
        }
    }
    return Size{plan.width, plan.height};
}

}  // namespace imgline::pipeline
