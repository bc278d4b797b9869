#include "pipeline/encode.h"

#include "pipeline/jpeg_writer.h"
#include "pipeline/vips_source.h"

#include <cstdint>
#include <memory>
#include <vector>
#include <webp/encode.h>

namespace imgline::pipeline {
namespace {

using vips::VImage;

// Progressive JPEG is smaller and renders sooner for anything but tiny images.
constexpr int kProgressiveFromPixels = 200 * 200;
// AVIF encoder effort (0 fastest .. 9 slowest); 3 keeps a 1600 px render near a second.
constexpr int kAvifEffort = 3;

// libjpeg-turbo directly (pipeline/jpeg_writer): its scan script costs about two thirds of
// libvips' progressive save, which matters because the budget search encodes more than once.
Expected<std::string> encode_jpeg(const VImage& image, const EncodeSettings& settings) {
    VImage pixels = image;
    if (pixels.bands() != 1 && pixels.bands() != 3) {
        pixels = pixels.bands() == 2 ? pixels.extract_band(0)
                                     : pixels.extract_band(0, VImage::option()->set("n", 3));
    }
    pixels = pixels.copy_memory();  // a no-op for the renders, which are in memory already
    const auto samples =
        static_cast<std::size_t>(pixels.width()) * pixels.height() * pixels.bands();
    return write_jpeg({static_cast<const std::uint8_t*>(pixels.data()), samples}, pixels.width(),
                      pixels.height(), pixels.bands(),
                      JpegSettings{settings.quality, settings.chroma_full,
                                   pixels.width() * pixels.height() >= kProgressiveFromPixels});
}

std::string encode_png(const VImage& image, const EncodeSettings& settings) {
    auto* options = VImage::option()->set("compression", 9)->set("strip", true);
    if (settings.quality < 100) {
        options->set("palette", true)->set("Q", settings.quality);
    }
    return take_blob(image.pngsave_buffer(options));
}

std::string encode_avif(const VImage& image, const EncodeSettings& settings) {
    return take_blob(image.heifsave_buffer(
        VImage::option()
            ->set("Q", settings.quality)
            ->set("compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1)
            ->set("effort", kAvifEffort)
            ->set("strip", true)
            ->set("subsample_mode",
                  settings.chroma_full ? VIPS_FOREIGN_SUBSAMPLE_OFF : VIPS_FOREIGN_SUBSAMPLE_ON)));
}

// libwebp directly: the encoder's own knobs (method, target size) stay in reach, and there is
// no metadata to strip because none is written.
Expected<std::string> encode_webp(const VImage& image, const EncodeSettings& settings) {
    const VImage pixels = image.copy_memory();
    std::size_t length = 0;
    void* memory = pixels.write_to_memory(&length);
    std::unique_ptr<void, decltype(&g_free)> owned(memory, &g_free);

    WebPConfig config;
    if (WebPConfigPreset(&config, WEBP_PRESET_PHOTO, static_cast<float>(settings.quality)) == 0) {
        return fail(ErrorCode::Internal, "webp encoder unavailable", "WebPConfigPreset failed");
    }
    config.method = 4;
    WebPPicture picture;
    if (WebPPictureInit(&picture) == 0) {
        return fail(ErrorCode::Internal, "webp encoder unavailable", "WebPPictureInit failed");
    }
    picture.use_argb = 0;
    picture.width = pixels.width();
    picture.height = pixels.height();
    const int bands = pixels.bands();
    const auto* rgb = static_cast<const std::uint8_t*>(memory);
    const int imported = bands == 4 ? WebPPictureImportRGBA(&picture, rgb, pixels.width() * 4)
                                    : WebPPictureImportRGB(&picture, rgb, pixels.width() * 3);
    if (imported == 0) {
        WebPPictureFree(&picture);
        return fail(ErrorCode::Internal, "webp encoding failed", "WebPPictureImport failed");
    }
    WebPMemoryWriter writer;
    WebPMemoryWriterInit(&writer);
    picture.writer = WebPMemoryWrite;
    picture.custom_ptr = &writer;
    const int ok = WebPEncode(&config, &picture);
    const int error_code = picture.error_code;
    WebPPictureFree(&picture);
    std::string bytes(reinterpret_cast<const char*>(writer.mem), writer.size);
    WebPMemoryWriterClear(&writer);
    if (ok == 0) {
        return fail(ErrorCode::Internal, "webp encoding failed",
                    "WebPEncode error " + std::to_string(error_code));
    }
    return bytes;
}

}  // namespace

Expected<std::string> encode(const VImage& image, const EncodeSettings& settings) {
    try {
        switch (settings.format) {
            case ImageFormat::Jpeg:
                return encode_jpeg(image, settings);
            case ImageFormat::Png:
                return encode_png(image, settings);
            case ImageFormat::Avif:
                return encode_avif(image, settings);
            case ImageFormat::Webp: {
                // libwebp takes RGB or RGBA only.
                VImage rgb = image;
                if (rgb.bands() < 3) {
                    rgb = rgb.colourspace(VIPS_INTERPRETATION_sRGB);
                }
                return encode_webp(rgb, settings);
            }
            case ImageFormat::Gif:
            case ImageFormat::Heif:
                break;
        }
    } catch (const vips::VError& error) {
        return vips_failure(ErrorCode::Internal, "the image could not be encoded", error);
    }
    return fail(ErrorCode::Internal, "cannot encode this format",
                std::string(format_name(settings.format)));
}

}  // namespace imgline::pipeline
