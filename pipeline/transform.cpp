#include "pipeline/transform.h"

#include "pipeline/icc_profile.h"
#include "pipeline/vips_source.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace imgline::pipeline {
namespace {

using vips::VImage;

// Reductions by this factor or more get a light unsharp mask to restore crispness.
constexpr double kSharpenFromReduction = 3.0;
// A brand fix decodes at most this many pixels on a side, and treats a product box smaller
// than this share of the image as this share (a tiny box would ask for a huge decode).
constexpr double kLargestFixDecode = 4096.0;
constexpr double kSmallestTrimShare = 0.1;

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

// A mild 3x3 sharpen in integer arithmetic on the 8-bit sRGB bands (each pixel gains a third
// of its difference from its neighbours' mean): about a millisecond for an 800 px image, where
// libvips' sharpen (a Gaussian unsharp mask in 16-bit Lab) takes thirty.
VImage sharpen_colour(const VImage& image) {
    const VImage kernel = [] {
        VImage mask = VImage::new_matrixv(3, 3,              //
                                          -1.0, -1.0, -1.0,  //
                                          -1.0, 32.0, -1.0,  //
                                          -1.0, -1.0, -1.0);
        mask.set("scale", 24.0);
        return mask;
    }();
    auto sharpen = [&kernel](const VImage& colour) {
        return colour.conv(kernel, VImage::option()->set("precision", VIPS_PRECISION_INTEGER))
            .cast(VIPS_FORMAT_UCHAR);
    };
    if (!image.has_alpha()) {
        return sharpen(image);
    }
    const VImage colour = image.extract_band(0, VImage::option()->set("n", image.bands() - 1));
    return sharpen(colour).bandjoin(image.extract_band(image.bands() - 1));
}

VImage thumbnail_to_plan(const VImage& image, const RenderPlan& plan) {
    return image.thumbnail_image(plan.width,
                                 VImage::option()
                                     ->set("height", plan.height)
                                     ->set("size", plan.upscale ? VIPS_SIZE_BOTH : VIPS_SIZE_DOWN)
                                     ->set("crop", crop_mode(plan)));
}

// libvips 8.14's thumbnail drops an embedded CMYK profile as "incompatible" and falls back to
// its generic CMYK profile, which shifts colours; so CMYK is imported here with the file's own
// profile (the generic one only when there is none), with JPEG shrink-on-load kept.
VImage decode_cmyk(const BorrowedBlob& blob, const ImageInfo& info, const RenderPlan& plan) {
    const bool swapped = info.orientation >= 5 && info.orientation <= 8;
    const double width = swapped ? info.height : info.width;
    const double height = swapped ? info.width : info.height;
    const double scale_x = plan.width / width;
    const double scale_y = plan.height / height;
    const double scale =
        plan.fit == Fit::Fill ? std::max(scale_x, scale_y) : std::min(scale_x, scale_y);
    int shrink = 1;
    for (int candidate : {8, 4, 2}) {
        if (scale * candidate <= 1.0 && width / candidate >= 1 && height / candidate >= 1) {
            shrink = candidate;
            break;
        }
    }
    auto options =
        VImage::option()->set("access", VIPS_ACCESS_RANDOM)->set("fail_on", VIPS_FAIL_ON_ERROR);
    if (info.format == ImageFormat::Jpeg) {
        options->set("shrink", shrink);
    }
    VImage image = info.format == ImageFormat::Jpeg ? VImage::jpegload_buffer(blob.get(), options)
                                                    : open_with_loader(blob, info.format);
    image = image.icc_transform(
        "srgb", VImage::option()->set("embedded", true)->set("input_profile", "cmyk"));
    return thumbnail_to_plan(image.autorot(), plan);
}

VImage decode(const BorrowedBlob& blob, const ImageInfo& info, const RenderPlan& plan) {
    if (info.is_cmyk) {
        return decode_cmyk(blob, info, plan);
    }
    auto options = VImage::option()
                       ->set("height", plan.height)
                       ->set("size", plan.upscale ? VIPS_SIZE_BOTH : VIPS_SIZE_DOWN)
                       ->set("crop", crop_mode(plan))
                       ->set("fail_on", VIPS_FAIL_ON_ERROR);
    // Only a profile other than sRGB needs a colour transform; with none (or an sRGB one),
    // asking for export_profile would build an lcms sRGB→sRGB transform on every render.
    if (info.has_icc && !describes_srgb(info.icc_description)) {
        options->set("export_profile", "srgb");
    }
    return VImage::thumbnail_buffer(blob.get(), plan.width, options);
}

// When a brand fix reshapes the image first, it is decoded inside a square large enough that
// the product's crop still covers the plan's box (never larger than the source).
RenderPlan decode_plan_for(const RenderPlan& plan) {
    RenderPlan decode = plan;
    decode.fit = Fit::Fit;
    decode.upscale = false;
    const double share =
        plan.fix.trim ? std::min(plan.fix.trim->width, plan.fix.trim->height) : 1.0;
    const double side = std::max(plan.width, plan.height) / std::max(share, kSmallestTrimShare);
    decode.width = decode.height = static_cast<int>(std::min(kLargestFixDecode, std::ceil(side)));
    return decode;
}

// Crops to the product and leaves the margin around it, then pads to the aspect, centred on
// the plan's background.
VImage apply_fix(VImage image, const RenderPlan& plan) {
    const BrandFix& fix = plan.fix;
    double width = image.width();
    double height = image.height();
    if (fix.trim) {
        const int left = std::clamp(static_cast<int>(fix.trim->left * width), 0, image.width() - 1);
        const int top = std::clamp(static_cast<int>(fix.trim->top * height), 0, image.height() - 1);
        const int crop_width = std::clamp(static_cast<int>(std::lround(fix.trim->width * width)), 1,
                                          image.width() - left);
        const int crop_height = std::clamp(static_cast<int>(std::lround(fix.trim->height * height)),
                                           1, image.height() - top);
        image = image.extract_area(left, top, crop_width, crop_height);
        width = crop_width / (1.0 - 2.0 * fix.margin);
        height = crop_height / (1.0 - 2.0 * fix.margin);
    }
    if (fix.aspect) {
        if (width / height < *fix.aspect) {
            width = height * *fix.aspect;
        } else {
            height = width / *fix.aspect;
        }
    }
    const int canvas_width = std::max(image.width(), static_cast<int>(std::lround(width)));
    const int canvas_height = std::max(image.height(), static_cast<int>(std::lround(height)));
    if (canvas_width == image.width() && canvas_height == image.height()) {
        return image;
    }
    return image.gravity(VIPS_COMPASS_DIRECTION_CENTRE, canvas_width, canvas_height,
                         VImage::option()
                             ->set("extend", VIPS_EXTEND_BACKGROUND)
                             ->set("background", background_of(plan, image.bands())));
}

}  // namespace

VImage to_srgb8(VImage image) {
    if (image.interpretation() != VIPS_INTERPRETATION_sRGB || image.format() != VIPS_FORMAT_UCHAR) {
        image = image.colourspace(VIPS_INTERPRETATION_sRGB);
    }
    if (image.format() != VIPS_FORMAT_UCHAR) {
        image = image.cast(VIPS_FORMAT_UCHAR);
    }
    return image;
}

Expected<VImage> transform(std::string_view bytes,
                           const ImageInfo& info,
                           const RenderPlan& plan,
                           const DeadlineGuard& guard) {
    try {
        BorrowedBlob blob(bytes);
        VImage image;
        if (plan.fix.reshapes()) {
            image = to_srgb8(decode(blob, info, decode_plan_for(plan)));
            image = thumbnail_to_plan(apply_fix(image, plan), plan);
        } else {
            image = to_srgb8(decode(blob, info, plan));
        }

        const int source_long = plan.original_long_side > 0 ? plan.original_long_side
                                                            : std::max(info.width, info.height);
        const int output_long = std::max(image.width(), image.height());
        if (plan.sharpen && output_long > 0 &&
            static_cast<double>(source_long) / output_long >= kSharpenFromReduction) {
            image = sharpen_colour(image);
        }
        const bool keeps_alpha = plan.format == ImageFormat::Webp ||
                                 plan.format == ImageFormat::Png ||
                                 plan.format == ImageFormat::Avif;
        if (image.has_alpha() && (!keeps_alpha || plan.fix.flatten)) {
            image = image.flatten(VImage::option()->set("background", background_of(plan, 3)));
        }
        if (plan.fit == Fit::Pad &&
            (image.width() != plan.width || image.height() != plan.height)) {
            image = image.gravity(VIPS_COMPASS_DIRECTION_CENTRE, plan.width, plan.height,
                                  VImage::option()
                                      ->set("extend", VIPS_EXTEND_BACKGROUND)
                                      ->set("background", background_of(plan, image.bands())));
        }
        guard.watch(image);
        return image.copy_memory();
    } catch (const vips::VError& error) {
        return vips_failure(guard, ErrorCode::CorruptImage, "the image could not be decoded",
                            error);
    }
}

}  // namespace imgline::pipeline
