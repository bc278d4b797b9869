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

vips::VImage product_shot(
    int width, int height, int side, int x, int y, std::array<double, 3> background) {
    using vips::VImage;
    const VImage canvas = (VImage::black(width, height, VImage::option()->set("bands", 3)) +
                           std::vector<double>(background.begin(), background.end()))
                              .cast(VIPS_FORMAT_UCHAR);
    const VImage texture =
        VImage::gaussnoise(side, side, VImage::option()->set("mean", 110.0)->set("sigma", 30.0));
    const VImage product = texture.bandjoin(texture).bandjoin(texture).cast(VIPS_FORMAT_UCHAR);
    return canvas.insert(product, x, y)
        .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

std::vector<std::string> distinct_photos(int count) {
    std::vector<std::string> photos;
    for (int i = 0; i < count; ++i) {
        const vips::VImage noise =
            vips::VImage::gaussnoise(160, 120, vips::VImage::option()->set("sigma", 30 + i))
                .bandjoin(vips::VImage::black(160, 120) + i)
                .bandjoin(vips::VImage::black(160, 120) + 2 * i)
                .cast(VIPS_FORMAT_UCHAR)
                .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
        photos.push_back(jpeg_of(noise, 90));
    }
    return photos;
}

}  // namespace imgline::test
