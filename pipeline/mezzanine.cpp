#include "pipeline/mezzanine.h"

#include "pipeline/deadline_guard.h"
#include "pipeline/transform.h"
#include "pipeline/vips_runtime.h"
#include "pipeline/vips_source.h"

#include <algorithm>

namespace imgline::pipeline {
namespace {

using vips::VImage;

constexpr int kMezzanineQuality = 95;

}  // namespace

std::vector<int> mezzanine_sides(int max_side) {
    if (max_side <= 0) {
        return {};
    }
    return {max_side, max_side / 2};
}

Expected<std::vector<Mezzanine>> make_mezzanines(std::string_view original,
                                                 const ImageInfo& info,
                                                 int max_side,
                                                 const Deadline& deadline) {
    const RenderThreads threads;
    std::vector<int> sides = mezzanine_sides(max_side);
    const int long_side = std::max(info.width, info.height);
    std::erase_if(sides, [&](int side) { return side >= long_side; });
    std::vector<Mezzanine> made;
    if (sides.empty()) {
        return made;
    }
    RenderPlan plan;
    plan.width = plan.height = sides.front();
    plan.fit = Fit::Fit;
    plan.format = info.has_alpha ? ImageFormat::Png : ImageFormat::Jpeg;  // PNG keeps alpha
    plan.sharpen = false;      // a render from it sharpens for its own reduction
    plan.decode_margin = 2.0;  // every later render starts from these pixels
    plan.shares_cores = RenderThreads::shared();
    const DeadlineGuard guard(deadline);
    auto transformed = transform(original, info, plan, guard);
    if (!transformed) {
        return tl::unexpected(transformed.error());
    }
    const VImage& pixels = transformed->pixels;
    try {
        for (const int side : sides) {
            // The smaller ones are reduced from the first, already upright and in memory.
            const VImage image =
                side == sides.front()
                    ? pixels
                    : pixels.thumbnail_image(side, VImage::option()->set("height", side));
            guard.watch(image);
            made.push_back(
                {side, plan.format == ImageFormat::Png
                           ? take_blob(image.pngsave_buffer(
                                 VImage::option()->set("compression", 3)->set("strip", true)))
                           : take_blob(image.jpegsave_buffer(
                                 VImage::option()
                                     ->set("Q", kMezzanineQuality)
                                     ->set("strip", true)
                                     ->set("subsample_mode", VIPS_FOREIGN_SUBSAMPLE_OFF)))});
        }
    } catch (const vips::VError& error) {
        return vips_failure(guard, ErrorCode::Internal, "a mezzanine could not be encoded", error);
    }
    return made;
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
