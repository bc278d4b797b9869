#include "pipeline/probe.h"

#include "pipeline/icc_profile.h"
#include "pipeline/vips_source.h"

namespace imgline::pipeline {

vips::VImage open_with_loader(const BorrowedBlob& blob, ImageFormat format) {
    using vips::VImage;
    auto options = [] {
        return VImage::option()
            ->set("access", VIPS_ACCESS_SEQUENTIAL)
            ->set("fail_on", VIPS_FAIL_ON_ERROR);
    };
    switch (format) {
        case ImageFormat::Jpeg:
            return VImage::jpegload_buffer(blob.get(), options());
        case ImageFormat::Png:
            return VImage::pngload_buffer(blob.get(), options());
        case ImageFormat::Webp:
            return VImage::webpload_buffer(blob.get(), options());
        case ImageFormat::Gif:
            return VImage::gifload_buffer(blob.get(), options());
        case ImageFormat::Heif:
        case ImageFormat::Avif:
            return VImage::heifload_buffer(blob.get(), options());
    }
    throw vips::VError("unknown format");
}

Expected<void> check_limits(const ImageInfo& info, const config::LimitsConfig& limits) {
    const auto width = static_cast<std::uint64_t>(info.width);
    const auto height = static_cast<std::uint64_t>(info.height);
    const auto frames = static_cast<std::uint64_t>(info.frames);
    if (info.width <= 0 || info.height <= 0) {
        return fail(ErrorCode::CorruptImage, "the image has no pixels");
    }
    if (width > limits.max_side || height > limits.max_side) {
        return fail(ErrorCode::TooManyPixels, "the image is " + std::to_string(width) + "x" +
                                                  std::to_string(height) +
                                                  " pixels; the longest side may be at most " +
                                                  std::to_string(limits.max_side));
    }
    if (frames > limits.max_frames) {
        return fail(ErrorCode::TooManyPixels,
                    "the image has " + std::to_string(frames) + " frames; at most " +
                        std::to_string(limits.max_frames) + " are allowed");
    }
    if (width * height * frames > limits.max_pixels) {
        return fail(ErrorCode::TooManyPixels,
                    "the image has " + std::to_string(width * height * frames) +
                        " pixels (frames counted); at most " + std::to_string(limits.max_pixels) +
                        " are allowed");
    }
    return {};
}

Expected<ImageInfo> probe(std::string_view bytes, const config::LimitsConfig& limits) {
    const auto format = sniff_format(bytes);
    if (!format) {
        return fail(ErrorCode::UnsupportedMediaType,
                    "this is not a JPEG, PNG, WebP, GIF, HEIC or AVIF image");
    }
    ImageInfo info;
    info.format = *format;
    try {
        BorrowedBlob blob(bytes);
        const vips::VImage header = open_with_loader(blob, *format);
        VipsImage* raw = header.get_image();
        info.width = header.width();
        info.frames = std::max(1, vips_image_get_n_pages(raw));
        // Animated formats report one frame's height as page-height.
        info.height = vips_image_get_page_height(raw);
        info.has_alpha = header.has_alpha();
        info.orientation = vips_image_get_orientation(raw);
        info.has_icc = vips_image_get_typeof(raw, VIPS_META_ICC_NAME) != 0;
        if (info.has_icc) {
            const void* data = nullptr;
            std::size_t length = 0;
            if (vips_image_get_blob(raw, VIPS_META_ICC_NAME, &data, &length) == 0) {
                info.icc_description = icc_description({static_cast<const char*>(data), length});
            }
        }
        info.is_cmyk = header.interpretation() == VIPS_INTERPRETATION_CMYK;
        info.is_grey = header.interpretation() == VIPS_INTERPRETATION_B_W ||
                       header.interpretation() == VIPS_INTERPRETATION_GREY16;
    } catch (const vips::VError& error) {
        return vips_failure(ErrorCode::CorruptImage, "the image header cannot be read", error);
    }
    if (auto ok = check_limits(info, limits); !ok) {
        return tl::unexpected(ok.error());
    }
    return info;
}

}  // namespace imgline::pipeline
