#include "pipeline/transform.h"

#include "pipeline/colour_transform.h"
#include "pipeline/decode_route.h"
#include "pipeline/icc_profile.h"
#include "pipeline/png_reader.h"
#include "pipeline/resample.h"
#include "pipeline/sharpen.h"
#include "pipeline/vips_runtime.h"
#include "pipeline/vips_source.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace imgline::pipeline {
namespace {

using vips::VImage;

// Reductions by this factor or more get a light unsharp mask to restore crispness.
constexpr double kSharpenFromReduction = 3.0;
constexpr int kMaxPngShrink = 64;
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

// The image's embedded ICC profile, copied out ("" without one): the one place a profile is read
// from a libvips image.
std::string icc_profile_of(const VImage& image) {
    if (image.get_typeof(VIPS_META_ICC_NAME) == 0) {
        return {};
    }
    std::size_t length = 0;
    const void* data = image.get_blob(VIPS_META_ICC_NAME, &length);
    return {static_cast<const char*>(data), length};
}

// A mild 3x3 sharpen of the colour bands (pipeline/sharpen.h) on an image already in memory:
// about a millisecond for an 800 px image, where libvips' integer convolution of the same
// kernel takes 10-15 ms and its sharpen (a Gaussian unsharp mask in 16-bit Lab) thirty.
VImage sharpened(const VImage& pixels) {
    const auto samples =
        static_cast<std::size_t>(pixels.width()) * pixels.height() * pixels.bands();
    const auto* in = static_cast<const std::uint8_t*>(pixels.data());
    auto* out = static_cast<std::uint8_t*>(std::malloc(samples));  // freed by the image
    if (out == nullptr) {
        throw std::bad_alloc();
    }
    sharpen_3x3({in, samples}, {out, samples}, pixels.width(), pixels.height(), pixels.bands(),
                pixels.has_alpha() ? pixels.bands() - 1 : pixels.bands());
    VImage result = VImage::new_from_memory_steal(out, samples, pixels.width(), pixels.height(),
                                                  pixels.bands(), VIPS_FORMAT_UCHAR);
    // A new memory image guesses its interpretation from the band count (4 bands: multiband,
    // so its alpha would go unseen); it is ours alone, so the source's is set in place.
    result.get_image()->Type = pixels.interpretation();
    return result;
}

VImage thumbnail_to_plan(const VImage& image, const RenderPlan& plan) {
    return image.thumbnail_image(plan.width,
                                 VImage::option()
                                     ->set("height", plan.height)
                                     ->set("size", plan.upscale ? VIPS_SIZE_BOTH : VIPS_SIZE_DOWN)
                                     ->set("crop", crop_mode(plan)));
}

// thumbnail_image of an image already shrunk while decoding: sizes rounded at each step can
// leave it a pixel off the original's proportions (6000×4000 box-shrunk by 6 is 1000×667, which
// would fit 800×534 instead of 800×533), so a fitted size is given exactly, worked out on the
// original's upright size. A fill crops to the box, which is exact already.
VImage thumbnail_of_shrunk(const VImage& decoded,
                           const ImageInfo& info,
                           const RenderPlan& plan,
                           vips::VOption* options) {
    if (plan.fit == Fit::Fill) {
        return decoded.thumbnail_image(plan.width, options);
    }
    const Size exact = fitted_size(info, plan);
    return decoded.thumbnail_image(
        exact.width, options->set("height", exact.height)->set("size", VIPS_SIZE_FORCE));
}

// The common PNGs (8-bit, not interlaced, upright) through pipeline/png_reader: libdeflate
// and a box shrink as the rows come, about four times faster than libvips' libpng load and
// float shrink on a large cut-out (bench/transform, bench/png). Anything else, or any doubt about
// the file, returns nullopt and goes to libvips.
std::optional<DecodedPixels> read_png_fast(const BorrowedBlob& blob,
                                           const ImageInfo& info,
                                           const RenderPlan& plan) {
    return read_png(blob.bytes(), box_shrink_for(info, plan, kMaxPngShrink), kFastPngMaxRowBytes);
}

// libvips 8.14's thumbnail drops an embedded CMYK profile as "incompatible" and falls back to
// its generic CMYK profile, which shifts colours; so CMYK is imported here with the file's own
// profile (the generic one only when there is none), with JPEG shrink-on-load kept.
VImage decode_cmyk(const BorrowedBlob& blob, const ImageInfo& info, const RenderPlan& plan) {
    auto options =
        VImage::option()->set("access", VIPS_ACCESS_RANDOM)->set("fail_on", VIPS_FAIL_ON_ERROR);
    if (info.format == ImageFormat::Jpeg) {
        options->set("shrink", jpeg_shrink_for(info, plan));
    }
    VImage image = info.format == ImageFormat::Jpeg ? VImage::jpegload_buffer(blob.get(), options)
                                                    : open_with_loader(blob, info.format);
    image = image.icc_transform(
        "srgb", VImage::option()->set("embedded", true)->set("input_profile", "cmyk"));
    return thumbnail_to_plan(image.autorot(), plan);
}

// The in-memory `image` converted from its embedded profile to sRGB: RGB(A) through
// pipeline/colour_transform (lcms, the transform kept per profile), anything else (grey
// profiles, profiles lcms refuses there) through libvips' icc_transform.
VImage converted_to_srgb(const VImage& image) {
    const std::string profile = icc_profile_of(image);
    if (profile.empty()) {
        return image;
    }
    if (image.format() == VIPS_FORMAT_UCHAR && (image.bands() == 3 || image.bands() == 4)) {
        DecodedPixels pixels;
        pixels.width = image.width();
        pixels.height = image.height();
        pixels.bands = image.bands();
        pixels.samples.resize(static_cast<std::size_t>(pixels.width) * pixels.height *
                              pixels.bands);
        const std::span<const std::uint8_t> source(static_cast<const std::uint8_t*>(image.data()),
                                                   pixels.samples.size());
        if (convert_to_srgb(source, pixels.samples, pixels.width, pixels.height, pixels.bands,
                            profile)) {
            return image_of(pixels);  // no profile attached: the pixels are sRGB now
        }
    }
    VImage source = image;
    if (is_grey_profile(profile) && image.bands() >= 3) {
        // A grey photo widened to three bands (to_srgb8) before its grey profile was applied:
        // libvips 8.14.1 fails on an RGB image with a grey profile (fixed in 8.14.2), so the
        // grey band, with any alpha, is converted on its own.
        source = image.extract_band(0);
        if (image.has_alpha()) {
            source = source.bandjoin(image.extract_band(image.bands() - 1));
        }
        source = source.copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_B_W));
    }
    return to_srgb8(
               source.icc_transform(
                   "srgb",
                   VImage::option()->set("embedded", true)->set("intent", VIPS_INTENT_RELATIVE)))
        .copy_memory();
}

// Whether pixels decoded at `width` × `height` × `bands` (as stored) can take `resize` in
// memory: 8-bit grey or RGB, and a reduction on both sides.
bool fits_in_memory(
    const InMemoryResize& resize, const ImageInfo& info, int width, int height, int bands) {
    const bool swapped = turned_on_its_side(info);
    const int stored_width = swapped ? resize.size.height : resize.size.width;
    const int stored_height = swapped ? resize.size.width : resize.size.height;
    return (bands == 1 || bands == 3) && stored_width <= width && stored_height <= height;
}

// Decoded pixels in memory, as stored, resized, turned upright and cropped as `resize` says;
// their `profile` converted to sRGB unless `colour` is None.
VImage resized_in_memory(std::span<const std::uint8_t> samples,
                         int width,
                         int height,
                         int bands,
                         std::string profile,
                         const ImageInfo& info,
                         const InMemoryResize& resize,
                         ColourStep colour) {
    DecodedPixels pixels = resized_upright(samples, width, height, bands, resize.size.width,
                                           resize.size.height, info.orientation, resize.keep);
    pixels.icc_profile = std::move(profile);
    if (!pixels.icc_profile.empty() && colour != ColourStep::None &&
        convert_to_srgb(pixels.samples, pixels.samples, pixels.width, pixels.height, pixels.bands,
                        pixels.icc_profile)) {
        pixels.icc_profile.clear();  // sRGB now
    }
    const VImage image = image_of(pixels);
    if (colour == ColourStep::None || pixels.icc_profile.empty()) {
        return image;
    }
    // Grey and table-based profiles: lcms' transform or libvips'.
    return converted_to_srgb(to_srgb8(image).copy_memory());
}

// A JPEG render (fit, pad, or fill at the centre: the storefront's renders) is decoded with
// shrink-on-load into memory, then resized, turned upright and cropped by pipeline/resample in
// about a quarter of the time libvips' thumbnail takes on the same pixels (bench/resample), and
// its profile converted to sRGB (a matrix-shaper in place, through its kept tables). Less CPU
// and, measured, lower latency than libvips' thumbnail even for a render alone, where libvips
// overlaps the decode with the resize (bench/README.md). Anything else — a fill by attention,
// CMYK, 16-bit, a resize that would enlarge — returns nullopt for libvips' thumbnail.
std::optional<VImage> decode_jpeg_in_memory(const BorrowedBlob& blob,
                                            const ImageInfo& info,
                                            const RenderPlan& plan,
                                            ColourStep colour,
                                            const DeadlineGuard& guard) {
    if (info.format != ImageFormat::Jpeg || info.is_cmyk) {
        return std::nullopt;
    }
    const auto resize = in_memory_resize_for(info, plan);
    if (!resize) {
        return std::nullopt;
    }
    VImage decoded =
        VImage::jpegload_buffer(blob.get(), VImage::option()
                                                ->set("shrink", jpeg_shrink_for(info, plan))
                                                ->set("access", VIPS_ACCESS_SEQUENTIAL)
                                                ->set("fail_on", VIPS_FAIL_ON_ERROR));
    if (decoded.format() != VIPS_FORMAT_UCHAR ||
        !fits_in_memory(*resize, info, decoded.width(), decoded.height(), decoded.bands())) {
        return std::nullopt;
    }
    guard.watch(decoded);
    decoded = decoded.copy_memory();
    std::string profile = icc_profile_of(decoded);
    const std::span<const std::uint8_t> samples(
        static_cast<const std::uint8_t*>(decoded.data()),
        static_cast<std::size_t>(decoded.width()) * decoded.height() * decoded.bands());
    return resized_in_memory(samples, decoded.width(), decoded.height(), decoded.bands(),
                             std::move(profile), info, *resize, colour);
}

// An opaque PNG from the fast path (grey or RGB) takes the same resize in memory.
std::optional<VImage> png_in_memory(const DecodedPixels& png,
                                    const ImageInfo& info,
                                    const RenderPlan& plan,
                                    ColourStep colour) {
    const auto resize = in_memory_resize_for(info, plan);
    if (!resize || !fits_in_memory(*resize, info, png.width, png.height, png.bands)) {
        return std::nullopt;
    }
    return resized_in_memory(png.samples, png.width, png.height, png.bands, png.icc_profile, info,
                             *resize, colour);
}

// The options of libvips' thumbnail for `plan`, converting to sRGB in it when `colour` says so.
vips::VOption* thumbnail_options(const RenderPlan& plan, ColourStep colour) {
    auto* options = VImage::option()
                        ->set("height", plan.height)
                        ->set("size", plan.upscale ? VIPS_SIZE_BOTH : VIPS_SIZE_DOWN)
                        ->set("crop", crop_mode(plan));
    if (colour == ColourStep::InThumbnail) {
        options->set("export_profile", "srgb");
    }
    return options;
}

struct Decoded {
    VImage image;
    DecodeRoute route = DecodeRoute::Thumbnail;
};

// The source decoded and resized on its route (choose_decode_route), handing over to the next
// route when the decoded pixels rule the chosen one out; says which route it took.
Decoded decode(const BorrowedBlob& blob,
               const ImageInfo& info,
               const RenderPlan& plan,
               ColourStep colour,
               const DeadlineGuard& guard) {
    const DecodeRoute route = choose_decode_route(info, plan);
    if (route == DecodeRoute::Cmyk) {
        return {decode_cmyk(blob, info, plan), route};
    }
    if (route == DecodeRoute::JpegInMemory) {
        if (auto resized = decode_jpeg_in_memory(blob, info, plan, colour, guard)) {
            return {*resized, route};
        }
    }
    if (route == DecodeRoute::PngFastPath) {
        if (auto png = read_png_fast(blob, info, plan)) {
            if (auto resized = png_in_memory(*png, info, plan, colour)) {
                return {*resized, route};
            }
            return {thumbnail_of_shrunk(image_of(*png), info, plan,  // with alpha
                                        thumbnail_options(plan, colour)),
                    route};
        }
    }
    // libvips' thumbnail shrinks a JPEG in the decoder only while 2x is left for its resampler
    // (a 12 MP photo to 1600 px is decoded whole); RenderPlan::decode_margin says how far ours
    // may go. The rest of the work (upright, colour, resize, crop) is the same thumbnail's.
    if (const int shrink = info.format == ImageFormat::Jpeg ? jpeg_shrink_for(info, plan) : 1;
        shrink > 1) {
        const VImage decoded =
            VImage::jpegload_buffer(blob.get(), VImage::option()
                                                    ->set("shrink", shrink)
                                                    ->set("access", VIPS_ACCESS_SEQUENTIAL)
                                                    ->set("fail_on", VIPS_FAIL_ON_ERROR));
        return {thumbnail_of_shrunk(decoded, info, plan, thumbnail_options(plan, colour)),
                DecodeRoute::JpegShrunk};
    }
    return {VImage::thumbnail_buffer(
                blob.get(), plan.width,
                thumbnail_options(plan, colour)->set("fail_on", VIPS_FAIL_ON_ERROR)),
            DecodeRoute::Thumbnail};
}

// `image` computed into memory with metadata of its own. libvips 8.14.1's HEIF loader keeps an
// image's ICC profile, EXIF and XMP in memory freed with the loaded image (fixed in libvips
// 8.15, pull request 3725), so a memory copy that outlives the decode would read a freed
// profile: a busy render of an iPhone HEIC converted its colours from garbage. The profile is
// copied while the pipeline still holds the loaded image; EXIF, XMP and IPTC, which no rendition
// keeps, are dropped.
VImage in_memory(const VImage& image) {
    const std::string profile = icc_profile_of(image);
    // (An image in memory already — the fast paths' — comes back as itself, ours alone.)
    VImage copied = image.copy_memory();
    VipsImage* raw = copied.get_image();
    for (const char* field :
         {VIPS_META_ICC_NAME, VIPS_META_EXIF_NAME, VIPS_META_XMP_NAME, VIPS_META_IPTC_NAME}) {
        vips_image_remove(raw, field);
    }
    if (!profile.empty()) {
        vips_image_set_blob_copy(raw, VIPS_META_ICC_NAME, profile.data(), profile.size());
    }
    return copied;
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

// The finish every route shares: a light sharpen after a large reduction, alpha flattened onto
// the background where the format has none (or the brand asks), and the pad to the box.
VImage finished(VImage image, const ImageInfo& info, const RenderPlan& plan) {
    const int source_long =
        plan.original_long_side > 0 ? plan.original_long_side : std::max(info.width, info.height);
    const int output_long = std::max(image.width(), image.height());
    if (plan.sharpen && output_long > 0 &&
        static_cast<double>(source_long) / output_long >= kSharpenFromReduction) {
        image = sharpened(image);
    }
    const bool keeps_alpha = plan.format == ImageFormat::Webp || plan.format == ImageFormat::Png ||
                             plan.format == ImageFormat::Avif;
    bool reshaped = false;
    if (image.has_alpha() && (!keeps_alpha || plan.fix.flatten)) {
        image = image.flatten(VImage::option()->set("background", background_of(plan, 3)));
        reshaped = true;
    }
    if (plan.fit == Fit::Pad && (image.width() != plan.width || image.height() != plan.height)) {
        image = image.gravity(VIPS_COMPASS_DIRECTION_CENTRE, plan.width, plan.height,
                              VImage::option()
                                  ->set("extend", VIPS_EXTEND_BACKGROUND)
                                  ->set("background", background_of(plan, image.bands())));
        reshaped = true;
    }
    return reshaped ? image.copy_memory() : image;
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

// A libvips image of 8-bit pixels held in memory (from png_reader, or just converted to sRGB),
// with their ICC profile if they carry one.
VImage image_of(const DecodedPixels& pixels) {
    VipsImage* copied =
        vips_image_new_from_memory_copy(pixels.samples.data(), pixels.samples.size(), pixels.width,
                                        pixels.height, pixels.bands, VIPS_FORMAT_UCHAR);
    if (copied == nullptr) {
        throw vips::VError();
    }
    VImage image(copied);
    image.get_image()->Type =
        pixels.bands >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W;
    if (!pixels.icc_profile.empty()) {
        vips_image_set_blob_copy(image.get_image(), VIPS_META_ICC_NAME, pixels.icc_profile.data(),
                                 pixels.icc_profile.size());
    }
    return image;
}

Expected<Transformed> transform(std::string_view bytes,
                                const ImageInfo& info,
                                const RenderPlan& plan,
                                const DeadlineGuard& guard) {
    try {
        BorrowedBlob blob(bytes);
        const ColourStep colour = choose_colour_step(info, plan);
        Decoded decoded;
        if (plan.fix.reshapes()) {
            decoded = decode(blob, info, decode_plan_for(plan), colour, guard);
            decoded.image = thumbnail_to_plan(apply_fix(to_srgb8(decoded.image), plan), plan);
        } else {
            decoded = decode(blob, info, plan, colour, guard);
        }
        VImage image = to_srgb8(decoded.image);
        guard.watch(image);
        image = in_memory(image);
        if (colour == ColourStep::AfterResize) {
            image = converted_to_srgb(image);
        }
        return Transformed{finished(image, info, plan), decoded.route};
    } catch (const vips::VError& error) {
        return vips_failure(guard, ErrorCode::CorruptImage, "the image could not be decoded",
                            error);
    } catch (const std::invalid_argument& error) {
        // pipeline/resample refusing sizes worked out here: our bug, not the client's file.
        return fail(ErrorCode::Internal, "the image could not be resized", error.what());
    }
}

}  // namespace imgline::pipeline
