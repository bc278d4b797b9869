#include "pipeline/mezzanine.h"

#include "pipeline/deadline_guard.h"
#include "pipeline/transform.h"
#include "pipeline/vips_source.h"

#include <algorithm>

namespace imgline::pipeline {
namespace {

using vips::VImage;

constexpr int kMezzanineQuality = 95;

}  // namespace

Expected<std::optional<std::string>> make_mezzanine(std::string_view original,
                                                    const ImageInfo& info,
                                                    int max_side,
                                                    const Deadline& deadline) {
    if (max_side <= 0 || std::max(info.width, info.height) <= max_side) {
        return std::optional<std::string>();
    }
    RenderPlan plan;
    plan.width = plan.height = max_side;
    plan.fit = Fit::Fit;
    plan.format = info.has_alpha ? ImageFormat::Png : ImageFormat::Jpeg;  // PNG keeps alpha
    plan.sharpen = false;  // the render from it sharpens for its own reduction
    const DeadlineGuard guard(deadline);
    auto pixels = transform(original, info, plan, guard);
    if (!pixels) {
        return tl::unexpected(pixels.error());
    }
    try {
        if (plan.format == ImageFormat::Png) {
            return std::optional<std::string>(take_blob(pixels->pngsave_buffer(
                VImage::option()->set("compression", 3)->set("strip", true))));
        }
        return std::optional<std::string>(take_blob(
            pixels->jpegsave_buffer(VImage::option()
                                        ->set("Q", kMezzanineQuality)
                                        ->set("strip", true)
                                        ->set("subsample_mode", VIPS_FOREIGN_SUBSAMPLE_OFF))));
    } catch (const vips::VError& error) {
        return vips_failure(guard, ErrorCode::Internal, "the mezzanine could not be encoded",
                            error);
    }
}

bool covers(Size source, const RenderPlan& plan) {
    if (source.width <= 0 || source.height <= 0) {
        return false;
    }
    double width = source.width;
    double height = source.height;
    if (plan.fix.trim) {  // only the product's box is scaled to the plan
        width *= plan.fix.trim->width;
        height *= plan.fix.trim->height;
    }
    const double across = plan.width / width;
    const double down = plan.height / height;
    const double scale = plan.fit == Fit::Fill ? std::max(across, down) : std::min(across, down);
    return scale <= 1.0;
}

}  // namespace imgline::pipeline
