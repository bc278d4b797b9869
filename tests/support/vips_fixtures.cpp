#include "tests/support/vips_fixtures.h"

namespace imgline::test {

using vips::VImage;

std::string take_blob(VipsBlob* blob) {
    std::size_t length = 0;
    const auto* data = static_cast<const char*>(vips_blob_get(blob, &length));
    std::string bytes(data, length);
    vips_area_unref(VIPS_AREA(blob));
    return bytes;
}

std::string jpeg_of(const VImage& image, int quality, bool keep_metadata) {
    return take_blob(
        image.jpegsave_buffer(VImage::option()->set("Q", quality)->set("strip", !keep_metadata)));
}

std::string png_of(const VImage& image) {
    return take_blob(image.pngsave_buffer());
}

}  // namespace imgline::test
