#include "pipeline/capabilities.h"

#include <vips/vips8>

namespace imgline::pipeline {
namespace {

Capabilities g_capabilities;

}  // namespace

const Capabilities& capabilities() {
    return g_capabilities;
}

void detect_capabilities() {
    using vips::VImage;
    Capabilities found;
    found.heif_read = vips_type_find("VipsOperation", "heifload_buffer") != 0;
    try {
        // A tiny AV1 encode and its decode: the only honest test of what libheif was built with.
        const VImage probe = VImage::black(16, 16, VImage::option()->set("bands", 3)) + 128;
        VipsBlob* encoded = probe.cast(VIPS_FORMAT_UCHAR)
                                .heifsave_buffer(VImage::option()->set(
                                    "compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1));
        found.avif_write = true;
        try {
            const VImage decoded = VImage::heifload_buffer(encoded);
            found.avif_read = decoded.avg() > 0;
        } catch (const vips::VError&) {
            found.avif_read = false;
        }
        vips_area_unref(VIPS_AREA(encoded));
    } catch (const vips::VError&) {
        found.avif_write = false;
    }
    vips_error_clear();
    g_capabilities = found;
}

bool can_read(ImageFormat format) {
    switch (format) {
        case ImageFormat::Heif:
            return g_capabilities.heif_read;
        case ImageFormat::Avif:
            return g_capabilities.avif_read;
        default:
            return true;
    }
}

bool can_write(ImageFormat format) {
    if (format == ImageFormat::Avif) {
        return g_capabilities.avif_write;
    }
    return is_output_format(format);
}

namespace {

constexpr ImageFormat kAll[] = {ImageFormat::Jpeg, ImageFormat::Png,  ImageFormat::Webp,
                                ImageFormat::Gif,  ImageFormat::Heif, ImageFormat::Avif};

std::string joined(const std::vector<ImageFormat>& formats) {
    std::string text;
    for (auto format : formats) {
        text += (text.empty() ? "" : " ") + std::string(format_name(format));
    }
    return text;
}

}  // namespace

std::vector<ImageFormat> readable_formats() {
    std::vector<ImageFormat> formats;
    for (auto format : kAll) {
        if (can_read(format)) {
            formats.push_back(format);
        }
    }
    return formats;
}

std::vector<ImageFormat> writable_formats() {
    std::vector<ImageFormat> formats;
    for (auto format : kAll) {
        if (can_write(format)) {
            formats.push_back(format);
        }
    }
    return formats;
}

std::string describe_formats() {
    return "read: " + joined(readable_formats()) + "; write: " + joined(writable_formats());
}

}  // namespace imgline::pipeline
