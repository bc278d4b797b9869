#include "tests/support/image_checks.h"

#include <bit>

#include <vips/vips8>

namespace imgline::test {

using vips::VImage;

namespace {

VImage load(std::string_view bytes) {
    return VImage::new_from_buffer(bytes.data(), bytes.size(), "");
}

VImage normalised(std::string_view bytes) {
    VImage image = load(bytes).colourspace(VIPS_INTERPRETATION_sRGB);
    if (image.has_alpha()) {
        image = image.flatten();
    }
    return image.resize(64.0 / image.width(),
                        VImage::option()->set("vscale", 64.0 / image.height()));
}

}  // namespace

Decoded decode(std::string_view bytes) {
    const VImage image = load(bytes);
    Decoded out;
    out.width = image.width();
    out.height = image.height();
    out.bands = image.bands();
    out.pages = vips_image_get_n_pages(image.get_image());
    out.has_exif = vips_image_get_typeof(image.get_image(), VIPS_META_EXIF_NAME) != 0;
    out.has_icc = vips_image_get_typeof(image.get_image(), VIPS_META_ICC_NAME) != 0;
    out.has_xmp = vips_image_get_typeof(image.get_image(), VIPS_META_XMP_NAME) != 0;
    VImage colour = image.colourspace(VIPS_INTERPRETATION_sRGB);
    if (colour.has_alpha()) {
        colour = colour.flatten();
    }
    for (int band = 0; band < 3 && band < colour.bands(); ++band) {
        out.mean_rgb[static_cast<std::size_t>(band)] = colour.extract_band(band).avg();
    }
    return out;
}

std::uint64_t dhash(std::string_view bytes) {
    VImage image = load(bytes).colourspace(VIPS_INTERPRETATION_B_W);
    if (image.has_alpha()) {
        image = image.flatten();
    }
    image = image.extract_band(0);
    const VImage small =
        image.resize(9.0 / image.width(), VImage::option()->set("vscale", 8.0 / image.height()));
    std::uint64_t hash = 0;
    for (int y = 0; y < 8; ++y) {
        for (int x = 0; x < 8; ++x) {
            const double left = small.getpoint(x, y)[0];
            const double right = small.getpoint(x + 1, y)[0];
            hash = (hash << 1) | (left > right ? 1U : 0U);
        }
    }
    return hash;
}

double mean_difference(std::string_view a, std::string_view b) {
    return (normalised(a) - normalised(b)).abs().avg();
}

int hamming(std::uint64_t a, std::uint64_t b) {
    return std::popcount(a ^ b);
}

}  // namespace imgline::test
