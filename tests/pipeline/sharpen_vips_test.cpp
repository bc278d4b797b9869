#include "pipeline/sharpen.h"
#include "tests/support/corpus.h"

#include <cstdint>
#include <cstdlib>
#include <vector>

#include <catch2/catch.hpp>
#include <vips/vips8>

using vips::VImage;

// The sharpen in plain arithmetic is the kernel libvips would apply with an integer
// convolution (which is 10x slower): same values, edges included, on a real photo.
TEST_CASE("sharpen_3x3 gives libvips' integer convolution of the same kernel", "[sharpen]") {
    const auto path = imgline::test::data_dir() / "corpus" / "mate__Dune.jpg";
    const VImage photo = VImage::thumbnail(path.c_str(), 400).colourspace(VIPS_INTERPRETATION_sRGB);
    const VImage rgba = photo.bandjoin_const({128.0}).copy_memory();
    REQUIRE(rgba.bands() == 4);

    VImage kernel = VImage::new_matrixv(3, 3, -1.0, -1.0, -1.0, -1.0, 32.0, -1.0, -1.0, -1.0, -1.0);
    kernel.set("scale", 24.0);
    const VImage colour = rgba.extract_band(0, VImage::option()->set("n", 3));
    const VImage expected =
        colour.conv(kernel, VImage::option()->set("precision", VIPS_PRECISION_INTEGER))
            .cast(VIPS_FORMAT_UCHAR)
            .copy_memory();

    const auto samples = static_cast<std::size_t>(rgba.width()) * rgba.height() * 4;
    const auto* in = static_cast<const std::uint8_t*>(rgba.data());
    std::vector<std::uint8_t> out(samples);
    imgline::pipeline::sharpen_3x3({in, samples}, out, rgba.width(), rgba.height(), 4, 3);

    const auto* reference = static_cast<const std::uint8_t*>(expected.data());
    int worst = 0;
    bool alpha_kept = true;
    for (std::size_t pixel = 0; pixel < samples / 4; ++pixel) {
        for (int band = 0; band < 3; ++band) {
            worst = std::max(worst, std::abs(out[pixel * 4 + band] - reference[pixel * 3 + band]));
        }
        alpha_kept = alpha_kept && out[pixel * 4 + 3] == 128;
    }
    CHECK(worst == 0);
    CHECK(alpha_kept);
    // And it does sharpen: the photo is not returned as it came.
    CHECK(std::vector<std::uint8_t>(in, in + samples) != out);
}
