#include "pipeline/image_format.h"

#include <array>

namespace imgline::pipeline {
namespace {

bool starts_with_bytes(std::string_view bytes, std::string_view magic, std::size_t at = 0) {
    return bytes.size() >= at + magic.size() && bytes.substr(at, magic.size()) == magic;
}

// ISO-BMFF brands (bytes 8..11 after "ftyp") of the HEIF family that libheif decodes.
std::optional<ImageFormat> heif_brand(std::string_view bytes) {
    if (!starts_with_bytes(bytes, "ftyp", 4) || bytes.size() < 12) {
        return std::nullopt;
    }
    const std::string_view brand = bytes.substr(8, 4);
    if (brand == "avif" || brand == "avis") {
        return ImageFormat::Avif;
    }
    static constexpr std::array<std::string_view, 8> kHeifBrands{"heic", "heix", "hevc", "hevx",
                                                                 "heim", "heis", "mif1", "msf1"};
    for (auto known : kHeifBrands) {
        if (brand == known) {
            return ImageFormat::Heif;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<ImageFormat> sniff_format(std::string_view bytes) {
    if (starts_with_bytes(bytes, "\xFF\xD8\xFF")) {
        return ImageFormat::Jpeg;
    }
    if (starts_with_bytes(bytes, "\x89PNG\r\n\x1A\n")) {
        return ImageFormat::Png;
    }
    if (starts_with_bytes(bytes, "RIFF") && starts_with_bytes(bytes, "WEBP", 8)) {
        return ImageFormat::Webp;
    }
    if (starts_with_bytes(bytes, "GIF87a") || starts_with_bytes(bytes, "GIF89a")) {
        return ImageFormat::Gif;
    }
    return heif_brand(bytes);
}

}  // namespace imgline::pipeline
