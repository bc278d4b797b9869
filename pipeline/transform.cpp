#include "pipeline/transform.h"

#include <algorithm>
#include <vector>

#include "pipeline/vips_source.h"

namespace imgline::pipeline {
namespace {

using vips::VImage;

// Reductions by this factor or more get a light unsharp mask to restore crispness.
constexpr double kSharpenFromReduction = 3.0;

VipsInteresting crop_mode(const RenderPlan& plan) {
    if (plan.fit != Fit::Fill) {
        return VIPS_INTERESTING_NONE;
    }
    return plan.gravity == Gravity::Attention ? VIPS_INTERESTING_ATTENTION
                                              : VIPS_INTERESTING_CENTRE;
}

std::vector<double> background_of(const RenderPlan& plan, int bands) {
    std::vector<double> ink{static_cast<double>(plan.background.r),
                            static_cast<double>(plan.background.g),
                            static_cast<double>(plan.background.b)};
    if (bands == 4) {
        ink.push_back(255.0);  // padding is opaque even where the image keeps its alpha
    }
    return ink;
}

// sRGB, 8-bit, 3 bands plus alpha if any: what every encoder expects.
VImage to_srgb8(VImage image) {
    if (image.interpretation() != VIPS_INTERPRETATION_sRGB || image.format() != VIPS_FORMAT_UCHAR) {
        image = image.colourspace(VIPS_INTERPRETATION_sRGB);
    }
    if (image.format() != VIPS_FORMAT_UCHAR) {
        image = image.cast(VIPS_FORMAT_UCHAR);
    }
    return image;
}

VImage sharpen_colour(const VImage& image) {
    auto options = [] {
        return VImage::option()->set("sigma", 0.5)->set("x1", 2.0)->set("m2", 1.5);
    };
    if (!image.has_alpha()) {
        return image.sharpen(options()).colourspace(VIPS_INTERPRETATION_sRGB);
    }
    const VImage colour = image.extract_band(0, VImage::option()->set("n", image.bands() - 1));
    const VImage alpha = image.extract_band(image.bands() - 1);
    return colour.sharpen(options()).colourspace(VIPS_INTERPRETATION_sRGB).bandjoin(alpha);
}

}  // namespace

Expected<VImage> transform(std::string_view bytes, const ImageInfo& info, const RenderPlan& plan,
                           const DeadlineGuard& guard) {
    try {
        BorrowedBlob blob(bytes);
        VImage image = VImage::thumbnail_buffer(
            blob.get(), plan.width,
            VImage::option()
                ->set("height", plan.height)
                ->set("size", plan.upscale ? VIPS_SIZE_BOTH : VIPS_SIZE_DOWN)
                ->set("crop", crop_mode(plan))
                ->set("export_profile", "srgb")
                ->set("fail_on", VIPS_FAIL_ON_ERROR));
        image = to_srgb8(image);

        const int source_long = std::max(info.width, info.height);
        const int output_long = std::max(image.width(), image.height());
        if (output_long > 0 &&
            static_cast<double>(source_long) / output_long >= kSharpenFromReduction) {
            image = sharpen_colour(image);
        }
        const bool keeps_alpha = plan.format == ImageFormat::Webp ||
                                 plan.format == ImageFormat::Png ||
                                 plan.format == ImageFormat::Avif;
        if (image.has_alpha() && !keeps_alpha) {
            image = image.flatten(VImage::option()->set("background", background_of(plan, 3)));
        }
        if (plan.fit == Fit::Pad && (image.width() != plan.width || image.height() != plan.height)) {
            image = image.gravity(VIPS_COMPASS_DIRECTION_CENTRE, plan.width, plan.height,
                                  VImage::option()
                                      ->set("extend", VIPS_EXTEND_BACKGROUND)
                                      ->set("background", background_of(plan, image.bands())));
        }
        guard.watch(image);
        return image.copy_memory();
    } catch (const vips::VError& error) {
        if (guard.expired()) {
            return fail(ErrorCode::Timeout, "rendering took too long", error.what());
        }
        return fail(ErrorCode::CorruptImage, "the image could not be decoded", error.what());
    }
}

}  // namespace imgline::pipeline
