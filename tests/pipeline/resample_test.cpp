// pipeline/resample against libvips: the same Lanczos-3 reduction, and EXIF orientations
// turned upright exactly as libvips' autorot turns them.
#include "pipeline/resample.h"

#include "tests/support/corpus.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>
#include <vips/vips8>

using imgline::pipeline::resized_upright;
using vips::VImage;

namespace {

std::vector<std::uint8_t> samples_of(const VImage& image) {
    const VImage memory = image.copy_memory();
    const auto* data = static_cast<const std::uint8_t*>(memory.data());
    return {data,
            data + static_cast<std::size_t>(memory.width()) * memory.height() * memory.bands()};
}

struct Difference {
    int largest = 0;
    double mean = 0;
};

Difference difference(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
    Difference result;
    double total = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const int d = std::abs(a[i] - b[i]);
        result.largest = std::max(result.largest, d);
        total += d;
    }
    result.mean = a.empty() ? 0 : total / static_cast<double>(a.size());
    return result;
}

// A photo from the corpus, decoded at an eighth (JPEG shrink-on-load) and stored in memory.
VImage photo(const char* name, int bands) {
    const auto path = imgline::test::data_dir() / "corpus" / name;
    VImage image = VImage::jpegload(path.c_str(), VImage::option()->set("shrink", 4));
    if (bands == 1) {
        image = image.colourspace(VIPS_INTERPRETATION_B_W);
    }
    return image.copy_memory();
}

}  // namespace

TEST_CASE("the resize is libvips' Lanczos-3 reduction", "[pipeline][resample]") {
    for (const int bands : {3, 1}) {
        // 1008x756 (the 12 MP photo at a quarter) to sizes a render asks for: by 1.26, by 2.5,
        // by a whole number, and one side only.
        const VImage source = photo("bimg__test_exif_full.jpg", bands);
        REQUIRE(source.bands() == bands);
        const auto in = samples_of(source);
        for (const auto& [width, height] :
             {std::pair{800, 600}, {403, 302}, {336, 252}, {1008, 500}}) {
            CAPTURE(bands, width, height);
            const double hshrink = static_cast<double>(source.width()) / width;
            const double vshrink = static_cast<double>(source.height()) / height;
            const auto kernel = VImage::option()->set("kernel", VIPS_KERNEL_LANCZOS3);
            const VImage theirs = source.reduce(hshrink, vshrink, kernel);
            // The exact answer: the same reduction in floating point, then rounded.
            const VImage exact =
                source.cast(VIPS_FORMAT_FLOAT)
                    .reduce(hshrink, vshrink, VImage::option()->set("kernel", VIPS_KERNEL_LANCZOS3))
                    .round(VIPS_OPERATION_ROUND_RINT)
                    .cast(VIPS_FORMAT_UCHAR);
            REQUIRE(theirs.width() == width);
            REQUIRE(theirs.height() == height);
            const auto ours =
                resized_upright(in, source.width(), source.height(), bands, width, height, 1);
            REQUIRE(ours.width == width);
            REQUIRE(ours.height == height);
            REQUIRE(ours.bands == bands);
            const auto reference = samples_of(exact);
            // Within rounding of libvips' own 8-bit reduction, and no further from the exact
            // answer than it is (each pass rounds to 8 bits in both).
            const Difference from_theirs = difference(ours.samples, samples_of(theirs));
            const Difference ours_off = difference(ours.samples, reference);
            const Difference theirs_off = difference(samples_of(theirs), reference);
            CHECK(from_theirs.mean < 0.3);
            CHECK(from_theirs.largest <= 6);
            CHECK(ours_off.mean <= theirs_off.mean);
            CHECK(ours_off.largest <= theirs_off.largest);
        }
    }
}

TEST_CASE("a flat colour stays flat and a reduction averages", "[pipeline][resample]") {
    std::vector<std::uint8_t> flat(97 * 61 * 3);
    for (std::size_t i = 0; i < flat.size(); ++i) {
        flat[i] = static_cast<std::uint8_t>(i % 3 == 0 ? 200 : i % 3 == 1 ? 17 : 255);
    }
    const auto small = resized_upright(flat, 97, 61, 3, 23, 40, 1);
    bool same = true;
    for (std::size_t i = 0; i < small.samples.size(); ++i) {
        same = same && small.samples[i] == flat[i % 3];
    }
    CHECK(same);

    // One-pixel stripes, black and white, reduced by four: mid-grey (away from the left and
    // right edges, where the repeated edge pixel tips the balance).
    std::vector<std::uint8_t> stripes(64 * 64);
    for (int y = 0; y < 64; ++y) {
        for (int x = 0; x < 64; ++x) {
            stripes[static_cast<std::size_t>(y * 64 + x)] = (x % 2 == 0) ? 0 : 255;
        }
    }
    const auto grey = resized_upright(stripes, 64, 64, 1, 16, 16, 1);
    int furthest = 0;
    for (int y = 0; y < 16; ++y) {
        for (int x = 3; x < 13; ++x) {
            furthest = std::max(furthest,
                                std::abs(grey.samples[static_cast<std::size_t>(y * 16 + x)] - 128));
        }
    }
    CHECK(furthest <= 3);
}

TEST_CASE("every EXIF orientation turns upright as libvips' autorot turns it",
          "[pipeline][resample]") {
    // An image with no symmetry: every pixel distinct.
    const int width = 37;
    const int height = 23;
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(width) * height * 3);
    for (std::size_t i = 0; i < pixels.size(); ++i) {
        pixels[i] = static_cast<std::uint8_t>((i * 7 + i / 3) % 256);
    }
    const VImage stored =
        VImage::new_from_memory(pixels.data(), pixels.size(), width, height, 3, VIPS_FORMAT_UCHAR);
    for (int orientation = 1; orientation <= 8; ++orientation) {
        CAPTURE(orientation);
        VImage tagged = stored.copy();
        tagged.set(VIPS_META_ORIENTATION, orientation);
        const VImage theirs = tagged.autorot();
        // Same size: the orientation alone.
        const auto ours =
            resized_upright(pixels, width, height, 3, theirs.width(), theirs.height(), orientation);
        CHECK(ours.width == theirs.width());
        CHECK(ours.height == theirs.height());
        CHECK(ours.samples == samples_of(theirs));
        // With a reduction: the upright result of the reduced image.
        const bool swaps = orientation >= 5;
        const auto reduced = resized_upright(pixels, width, height, 3, 20, 11, 1);
        VImage reduced_tagged =
            VImage::new_from_memory(const_cast<std::uint8_t*>(reduced.samples.data()),
                                    reduced.samples.size(), 20, 11, 3, VIPS_FORMAT_UCHAR)
                .copy();
        reduced_tagged.set(VIPS_META_ORIENTATION, orientation);
        const auto both = resized_upright(pixels, width, height, 3, swaps ? 11 : 20,
                                          swaps ? 20 : 11, orientation);
        CHECK(both.samples == samples_of(reduced_tagged.autorot()));
    }
}

TEST_CASE("a kept region is that part of the whole result", "[pipeline][resample]") {
    const VImage source = photo("bimg__test_exif_full.jpg", 3);
    const auto in = samples_of(source);
    for (const int orientation : {1, 6, 3}) {
        CAPTURE(orientation);
        const bool swaps = orientation == 6;
        const int width = swaps ? 480 : 640;
        const int height = swaps ? 640 : 480;
        const auto whole =
            resized_upright(in, source.width(), source.height(), 3, width, height, orientation);
        const imgline::pipeline::Region keep{swaps ? 0 : 80, swaps ? 80 : 0, 480, 480};
        const auto part = resized_upright(in, source.width(), source.height(), 3, width, height,
                                          orientation, keep);
        REQUIRE(part.width == 480);
        REQUIRE(part.height == 480);
        bool same = true;
        for (int y = 0; y < keep.height; ++y) {
            for (int x = 0; x < keep.width * 3; ++x) {
                same = same && part.samples[static_cast<std::size_t>(y * keep.width * 3 + x)] ==
                                   whole.samples[static_cast<std::size_t>(
                                       (y + keep.top) * width * 3 + keep.left * 3 + x)];
            }
        }
        CHECK(same);
        // Not the top-left corner by mistake (the photo differs there).
        const bool from_corner =
            std::equal(part.samples.begin(), part.samples.begin() + 3 * 480, whole.samples.begin());
        CHECK_FALSE(from_corner);
    }
    std::vector<std::uint8_t> pixels(10 * 8 * 3);
    CHECK_THROWS_AS(
        resized_upright(pixels, 10, 8, 3, 5, 4, 1, imgline::pipeline::Region{1, 0, 5, 4}),
        std::invalid_argument);
}

TEST_CASE("extreme sizes resize without reading outside the image", "[pipeline][resample]") {
    // Every sample 7 × its column + 3 × its row, wrapped: no two neighbours alike. A flat image
    // of the same sizes must stay flat (no sample read from outside the rows or columns).
    struct Case {
        int width, height, out_width, out_height, bands;
    };

    for (const Case& c :
         {Case{1, 1, 1, 1, 3}, Case{1, 500, 1, 3, 3}, Case{500, 1, 7, 1, 1}, Case{1000, 3, 1, 1, 3},
          Case{3, 1000, 2, 9, 1}, Case{17, 13, 16, 12, 2}, Case{640, 480, 1, 480, 4}}) {
        CAPTURE(c.width, c.height, c.out_width, c.out_height, c.bands);
        std::vector<std::uint8_t> flat(static_cast<std::size_t>(c.width) * c.height * c.bands, 93);
        for (int orientation = 1; orientation <= 8; ++orientation) {
            const bool swaps = orientation >= 5;
            const auto out = resized_upright(flat, c.width, c.height, c.bands,
                                             swaps ? c.out_height : c.out_width,
                                             swaps ? c.out_width : c.out_height, orientation);
            REQUIRE(out.samples.size() ==
                    static_cast<std::size_t>(c.out_width) * c.out_height * c.bands);
            CHECK(std::all_of(out.samples.begin(), out.samples.end(),
                              [](std::uint8_t sample) { return sample == 93; }));
        }
    }
}

TEST_CASE("sizes that are not a reduction of the source are refused", "[pipeline][resample]") {
    std::vector<std::uint8_t> pixels(10 * 8 * 3);
    CHECK_THROWS_AS(resized_upright(pixels, 10, 8, 3, 11, 8, 1), std::invalid_argument);
    CHECK_THROWS_AS(resized_upright(pixels, 10, 8, 3, 10, 8, 6), std::invalid_argument);  // 8 ≥ 10?
    CHECK_THROWS_AS(resized_upright(pixels, 10, 8, 3, 0, 8, 1), std::invalid_argument);
    CHECK_THROWS_AS(resized_upright(pixels, 10, 9, 3, 5, 5, 1), std::invalid_argument);
    CHECK(resized_upright(pixels, 10, 8, 3, 8, 10, 6).width == 8);
}
