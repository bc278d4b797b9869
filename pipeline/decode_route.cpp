#include "pipeline/decode_route.h"

#include "pipeline/icc_profile.h"

#include <algorithm>
#include <cmath>

namespace imgline::pipeline {
namespace {

// The scale from the upright source to the plan's size (fill covers the box, the rest fit in).
double plan_scale(const ImageInfo& info, const RenderPlan& plan) {
    const Size upright = upright_size(info);
    const double scale_x = static_cast<double>(plan.width) / upright.width;
    const double scale_y = static_cast<double>(plan.height) / upright.height;
    return plan.fit == Fit::Fill ? std::max(scale_x, scale_y) : std::min(scale_x, scale_y);
}

}  // namespace

std::string_view route_name(DecodeRoute route) {
    switch (route) {
        case DecodeRoute::Cmyk:
            return "cmyk";
        case DecodeRoute::JpegInMemory:
            return "jpeg-in-memory";
        case DecodeRoute::PngFastPath:
            return "png-fast-path";
        case DecodeRoute::JpegShrunk:
            return "jpeg-shrunk";
        case DecodeRoute::Thumbnail:
            return "thumbnail";
    }
    return "thumbnail";
}

DecodeRoute choose_decode_route(const ImageInfo& info, const RenderPlan& plan) {
    if (info.is_cmyk) {
        return DecodeRoute::Cmyk;
    }
    if (info.format == ImageFormat::Jpeg && in_memory_resize_for(info, plan)) {
        return DecodeRoute::JpegInMemory;
    }
    if (info.format == ImageFormat::Png && info.orientation <= 1) {
        return DecodeRoute::PngFastPath;
    }
    if (info.format == ImageFormat::Jpeg && jpeg_shrink_for(info, plan) > 1) {
        return DecodeRoute::JpegShrunk;
    }
    return DecodeRoute::Thumbnail;
}

ColourStep choose_colour_step(const ImageInfo& info, const RenderPlan& plan) {
    if (!info.has_icc || info.is_cmyk || describes_srgb(info.icc_description)) {
        return ColourStep::None;
    }
    return plan.shares_cores ? ColourStep::AfterResize : ColourStep::InThumbnail;
}

bool turned_on_its_side(const ImageInfo& info) {
    return info.orientation >= 5 && info.orientation <= 8;
}

Size upright_size(const ImageInfo& info) {
    return turned_on_its_side(info) ? Size{info.height, info.width} : Size{info.width, info.height};
}

int jpeg_shrink_for(const ImageInfo& info, const RenderPlan& plan) {
    const double scale = plan_scale(info, plan);
    for (const int candidate : {8, 4, 2}) {
        if (scale * candidate * plan.decode_margin <= 1.0) {
            return candidate;
        }
    }
    return 1;
}

int box_shrink_for(const ImageInfo& info, const RenderPlan& plan, int largest) {
    const double scale = plan_scale(info, plan);
    return std::clamp(static_cast<int>(std::floor(1.0 / (scale * plan.decode_margin))), 1, largest);
}

Size fitted_size(const ImageInfo& info, const RenderPlan& plan) {
    RenderPlan fitted = plan;
    fitted.fit = Fit::Fit;
    return output_size(upright_size(info), fitted);
}

std::optional<InMemoryResize> in_memory_resize_for(const ImageInfo& info, const RenderPlan& plan) {
    if (plan.fit != Fit::Fill) {
        const Size fitted = fitted_size(info, plan);
        return InMemoryResize{fitted, Region{0, 0, fitted.width, fitted.height}};
    }
    if (plan.gravity != Gravity::Centre) {
        return std::nullopt;
    }
    const Size cover = cover_size(upright_size(info), plan);
    const int box_width = std::min(cover.width, plan.width);
    const int box_height = std::min(cover.height, plan.height);
    return InMemoryResize{cover, Region{(cover.width - box_width) / 2,
                                        (cover.height - box_height) / 2, box_width, box_height}};
}

}  // namespace imgline::pipeline
