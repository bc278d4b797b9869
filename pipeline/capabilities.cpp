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
        case ImageFormat::Heif: return g_capabilities.heif_read;
        case ImageFormat::Avif: return g_capabilities.avif_read;
        default: return true;
    }
}

bool can_write(ImageFormat format) {
    if (format == ImageFormat::Avif) {
        return g_capabilities.avif_write;
    }
    return is_output_format(format);
}

std::string describe_formats() {
    std::string text = "read: jpeg png webp gif";
    for (auto format : {ImageFormat::Heif, ImageFormat::Avif}) {
        if (can_read(format)) {
            text += " " + std::string(format_name(format));
        }
    }
    text += "; write: jpeg webp png";
    if (can_write(ImageFormat::Avif)) {
        text += " avif";
    }
    return text;
}

}  // namespace imgline::pipeline
