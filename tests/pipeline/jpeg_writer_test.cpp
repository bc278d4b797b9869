// The JPEG writer (libjpeg-turbo directly) read back with libvips: geometry, progressive or
// baseline, chroma subsampling, colour, size against libvips' own progressive save, errors.
#include "pipeline/jpeg_writer.h"

#include "tests/support/corpus.h"

#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <vips/vips8>

using namespace imgline;
using namespace imgline::pipeline;
using vips::VImage;

namespace {

VImage photo(int side) {
    const auto path = test::data_dir() / "corpus" / "squoosh__demo-large-photo.jpg";
    return VImage::thumbnail(path.c_str(), side)
        .colourspace(VIPS_INTERPRETATION_sRGB)
        .copy_memory();
}

std::string write(const VImage& image, const JpegSettings& settings) {
    const auto samples = static_cast<std::size_t>(image.width()) * image.height() * image.bands();
    auto bytes = write_jpeg({static_cast<const std::uint8_t*>(image.data()), samples},
                            image.width(), image.height(), image.bands(), settings);
    REQUIRE(bytes);
    return *bytes;
}

VImage read(const std::string& bytes) {
    return VImage::new_from_buffer(bytes.data(), bytes.size(), "").copy_memory();
}

// libvips sets "interlaced" on progressive JPEGs only.
bool interlaced(const VImage& image) {
    return image.get_typeof("interlaced") != 0 && image.get_int("interlaced") == 1;
}

double mean_difference(const VImage& a, const VImage& b) {
    return (a.cast(VIPS_FORMAT_FLOAT) - b.cast(VIPS_FORMAT_FLOAT)).abs().avg();
}

}  // namespace

TEST_CASE("the writer's JPEGs read back with their geometry, scans and subsampling",
          "[pipeline][jpeg]") {
    test::ensure_vips();
    const VImage image = photo(640);
    for (const bool progressive : {true, false}) {
        for (const bool chroma_full : {true, false}) {
            const auto bytes = write(image, JpegSettings{85, chroma_full, progressive});
            REQUIRE(bytes.substr(0, 3) == std::string("\xFF\xD8\xFF", 3));
            const VImage back = read(bytes);
            CHECK(back.width() == image.width());
            CHECK(back.height() == image.height());
            CHECK(back.bands() == 3);
            CHECK(interlaced(back) == progressive);
            CHECK(std::string(back.get_string("jpeg-chroma-subsample")) ==
                  (chroma_full ? "4:4:4" : "4:2:0"));
            // As close to the pixels it was given as libvips' own save at the same settings.
            VipsBlob* blob = image.jpegsave_buffer(VImage::option()->set("Q", 85)->set(
                "subsample_mode",
                chroma_full ? VIPS_FOREIGN_SUBSAMPLE_OFF : VIPS_FOREIGN_SUBSAMPLE_ON));
            std::size_t length = 0;
            const void* data = vips_blob_get(blob, &length);
            const VImage reference = read(std::string(static_cast<const char*>(data), length));
            vips_area_unref(VIPS_AREA(blob));
            CHECK(mean_difference(back, image) < 1.02 * mean_difference(reference, image));
        }
    }
}

TEST_CASE("the five-scan progressive JPEG is within 2 % of libvips' progressive save",
          "[pipeline][jpeg]") {
    test::ensure_vips();
    const VImage image = photo(1200);
    const auto ours = write(image, JpegSettings{80, false, true});
    VipsBlob* blob = image.jpegsave_buffer(VImage::option()
                                               ->set("Q", 80)
                                               ->set("optimize_coding", true)
                                               ->set("interlace", true)
                                               ->set("strip", true));
    std::size_t theirs = 0;
    vips_blob_get(blob, &theirs);
    vips_area_unref(VIPS_AREA(blob));
    CHECK(static_cast<double>(ours.size()) < 1.02 * static_cast<double>(theirs));
    // And smaller than a baseline encode at the same quality.
    CHECK(ours.size() < write(image, JpegSettings{80, false, false}).size());
}

TEST_CASE("a grey image is written with one component", "[pipeline][jpeg]") {
    test::ensure_vips();
    const VImage grey = photo(300).colourspace(VIPS_INTERPRETATION_B_W).copy_memory();
    REQUIRE(grey.bands() == 1);
    const VImage back = read(write(grey, JpegSettings{80, false, true}));
    CHECK(back.bands() == 1);
    CHECK(interlaced(back));
    CHECK(mean_difference(back, grey) < 3.0);
}

TEST_CASE("geometry libjpeg cannot take is an error, not a crash", "[pipeline][jpeg]") {
    const std::vector<std::uint8_t> pixels(12, 0);
    CHECK_FALSE(write_jpeg(pixels, 0, 4, 3, {}));
    CHECK_FALSE(write_jpeg(pixels, 2, 2, 4, {}));
    CHECK_FALSE(write_jpeg(pixels, 4, 4, 3, {}));  // too few samples for 4x4x3
    CHECK_FALSE(write_jpeg(pixels, 70000, 1, 3, {}));
    // Quality 0 is clamped by libjpeg, not refused: the writer still produces a JPEG.
    const auto clamped = write_jpeg(pixels, 2, 2, 3, JpegSettings{0, false, true});
    CHECK(clamped);
}
