#include "pipeline/inspect.h"

#include "pipeline/deadline_guard.h"
#include "pipeline/png_reader.h"
#include "pipeline/vips_source.h"

#include <algorithm>
#include <webp/decode.h>

#include <vips/VRegion8.h>

namespace imgline::pipeline {
namespace {

using vips::VImage;

// libwebp decodes every bit of a still WebP (scaled down, so memory stays small) and says
// plainly whether the stream is valid. Animations are left to libvips.
Expected<void> verify_webp(std::string_view bytes) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    WebPDecoderConfig config;
    if (WebPInitDecoderConfig(&config) == 0) {
        return fail(ErrorCode::Internal, "webp decoder unavailable");
    }
    if (WebPGetFeatures(data, bytes.size(), &config.input) != VP8_STATUS_OK) {
        return fail(ErrorCode::CorruptImage, "the image could not be decoded",
                    "WebPGetFeatures failed");
    }
    if (config.input.has_animation != 0) {
        return {};
    }
    config.options.use_scaling = 1;
    config.options.scaled_width = std::max(1, config.input.width / 8);
    config.options.scaled_height = std::max(1, config.input.height / 8);
    config.output.colorspace = MODE_RGBA;
    const VP8StatusCode status = WebPDecode(data, bytes.size(), &config);
    WebPFreeDecBuffer(&config.output);
    if (status != VP8_STATUS_OK) {
        return fail(ErrorCode::CorruptImage, "the image could not be decoded",
                    "WebPDecode status " + std::to_string(static_cast<int>(status)));
    }
    return {};
}

// The common PNGs (8-bit, not interlaced, no palette) are checked by pipeline/png_reader:
// every chunk's CRC, the whole deflate stream and every row's filter, about three times faster
// than libpng (bench/png). Its rows are inflated whole (at most kFastPngMaxRowBytes, where
// libvips' check streams them); the pixels it returns are averaged in blocks of this many a
// side, so that they are small. A PNG it does not take, or finds fault with, goes to libvips,
// whose answer stands.
constexpr int kPngCheckShrink = 16;

// Scanlines decoded per step of the check.
constexpr int kStripHeight = 64;

// Pulls every pixel of `image` through its loader on this thread, a strip at a time from the
// top. libvips 8.14's threaded sinks sometimes let a loader's error pass as a warning ("error in
// tile"), so a threaded avg() is not a reliable check; a region prepared here always reports it.
void decode_all(const VImage& image, const DeadlineGuard& guard) {
    const vips::VRegion region = image.region();
    for (int top = 0; top < image.height(); top += kStripHeight) {
        if (guard.expired()) {
            throw vips::VError("deadline passed while checking the image");
        }
        region.prepare(0, top, image.width(), std::min(kStripHeight, image.height() - top));
    }
}

// Every pixel of the first frame through the type's own loader with fail_on=error, streamed
// (sequential access), so memory stays small. JPEGs are decoded at full scale on purpose:
// libjpeg's scaled decode lets a truncated file through as black pixels.
Expected<void> verify_with_vips(std::string_view bytes,
                                const ImageInfo& info,
                                const DeadlineGuard& guard) {
    try {
        BorrowedBlob blob(bytes);
        auto options = VImage::option()
                           ->set("access", VIPS_ACCESS_SEQUENTIAL)
                           ->set("fail_on", VIPS_FAIL_ON_ERROR);
        VImage image;
        switch (info.format) {
            case ImageFormat::Jpeg:
                image = VImage::jpegload_buffer(blob.get(), options);
                break;
            case ImageFormat::Png:
                image = VImage::pngload_buffer(blob.get(), options);
                break;
            case ImageFormat::Gif:
                image = VImage::gifload_buffer(blob.get(), options);
                break;
            case ImageFormat::Webp:
                image = VImage::webpload_buffer(blob.get(), options);
                break;
            case ImageFormat::Heif:
            case ImageFormat::Avif:
                image = VImage::heifload_buffer(blob.get(), options);
                break;
        }
        decode_all(image, guard);
    } catch (const vips::VError& error) {
        return vips_failure(guard, ErrorCode::CorruptImage, "the image could not be decoded",
                            error);
    }
    return {};
}

}  // namespace

Expected<ImageInfo> inspect(std::string_view bytes,
                            const config::LimitsConfig& limits,
                            const Deadline& deadline) {
    auto info = probe(bytes, limits);
    if (!info) {
        return info;
    }
    if (info->format == ImageFormat::Webp) {
        if (auto valid = verify_webp(bytes); !valid) {
            return tl::unexpected(valid.error());
        }
    }
    if (info->format == ImageFormat::Png && read_png(bytes, kPngCheckShrink, kFastPngMaxRowBytes)) {
        return info;
    }
    const DeadlineGuard guard(deadline);
    if (auto valid = verify_with_vips(bytes, *info, guard); !valid) {
        return tl::unexpected(valid.error());
    }
    return info;
}

}  // namespace imgline::pipeline
