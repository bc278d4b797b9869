// The PNG fast path (pipeline/png_reader): the same pixels as libvips' own PNG load, box
// shrinks that weigh colour by alpha, and a polite refusal of everything it does not handle.
#include "pipeline/png_reader.h"

#include "config/config.h"
#include "pipeline/probe.h"
#include "pipeline/transform.h"
#include "tests/support/corpus.h"
#include "tests/support/vips_fixtures.h"

#include <cstdint>
#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>
#include <vips/vips8>

using namespace imgline;
using pipeline::DecodedPixels;
using pipeline::read_png;
using vips::VImage;

namespace {

constexpr std::size_t kRoomy = 512 * 1024 * 1024;

// A real photo, cut to an odd size so that blocks at the right and bottom edges are partial.
VImage photo(int bands) {
    const auto path = test::data_dir() / "corpus" / "mate__Dune.jpg";
    VImage rgb = VImage::thumbnail(path.c_str(), 301).colourspace(VIPS_INTERPRETATION_sRGB);
    rgb = rgb.extract_area(0, 0, 301, 187);
    // An alpha ramp with fully transparent and fully opaque areas, as a cut-out has.
    const VImage ramp =
        (VImage::xyz(rgb.width(), rgb.height()).extract_band(0) * 2 - 120).cast(VIPS_FORMAT_UCHAR);
    switch (bands) {
        case 1:
            return rgb.colourspace(VIPS_INTERPRETATION_B_W).copy_memory();
        case 2:
            return rgb.colourspace(VIPS_INTERPRETATION_B_W).bandjoin(ramp).copy_memory();
        case 3:
            return rgb.copy_memory();
        default:
            return rgb.bandjoin(ramp).copy_memory();
    }
}

std::string png_with(const VImage& image, VipsForeignPngFilter filter, bool interlace = false) {
    return test::take_blob(
        image.pngsave_buffer(VImage::option()->set("filter", filter)->set("interlace", interlace)));
}

double largest_difference(const VImage& a, const VImage& b) {
    return (a.cast(VIPS_FORMAT_INT) - b.cast(VIPS_FORMAT_INT)).abs().max();
}

}  // namespace

TEST_CASE("every row filter and colour type decodes to libvips' own pixels", "[pipeline][png]") {
    for (int bands : {1, 2, 3, 4}) {
        const VImage source = photo(bands);
        for (auto filter : {VIPS_FOREIGN_PNG_FILTER_NONE, VIPS_FOREIGN_PNG_FILTER_SUB,
                            VIPS_FOREIGN_PNG_FILTER_UP, VIPS_FOREIGN_PNG_FILTER_AVG,
                            VIPS_FOREIGN_PNG_FILTER_PAETH, VIPS_FOREIGN_PNG_FILTER_ALL}) {
            CAPTURE(bands, static_cast<int>(filter));
            const std::string bytes = png_with(source, filter);
            const auto pixels = read_png(bytes, 1, kRoomy);
            REQUIRE(pixels);
            CHECK(pixels->width == source.width());
            CHECK(pixels->height == source.height());
            CHECK(pixels->bands == bands);
            CHECK(pixels->icc_profile.empty());
            const VImage theirs = VImage::new_from_buffer(bytes.data(), bytes.size(), "");
            CHECK(largest_difference(image_of(*pixels), theirs) == 0);
        }
    }
}

TEST_CASE("a box shrink is the block mean, colour weighted by alpha, edges included",
          "[pipeline][png]") {
    for (int bands : {3, 4}) {
        const VImage source = photo(bands);
        const std::string bytes = png_with(source, VIPS_FOREIGN_PNG_FILTER_ALL);
        for (int shrink : {2, 3, 7}) {
            CAPTURE(bands, shrink);
            const auto pixels = read_png(bytes, shrink, kRoomy);
            REQUIRE(pixels);
            CHECK(pixels->width == (source.width() + shrink - 1) / shrink);
            CHECK(pixels->height == (source.height() + shrink - 1) / shrink);
            // The reference, worked out pixel by pixel from libvips' decode.
            const auto* in = static_cast<const std::uint8_t*>(source.data());
            int worst = 0;
            for (int oy = 0; oy < pixels->height; ++oy) {
                for (int ox = 0; ox < pixels->width; ++ox) {
                    double sums[4] = {0, 0, 0, 0};
                    double weight = 0;
                    int count = 0;
                    for (int y = oy * shrink; y < std::min(source.height(), (oy + 1) * shrink);
                         ++y) {
                        for (int x = ox * shrink; x < std::min(source.width(), (ox + 1) * shrink);
                             ++x) {
                            const std::uint8_t* p =
                                in + (static_cast<std::size_t>(y) * source.width() + x) * bands;
                            const double a = bands == 4 ? p[3] : 1.0;
                            for (int c = 0; c < 3; ++c) {
                                sums[c] += p[c] * a;
                            }
                            weight += a;
                            sums[3] += bands == 4 ? p[3] : 0;
                            ++count;
                        }
                    }
                    const std::uint8_t* ours =
                        pixels->samples.data() +
                        (static_cast<std::size_t>(oy) * pixels->width + ox) * bands;
                    for (int c = 0; c < 3; ++c) {
                        const double expected = weight > 0 ? sums[c] / weight : 0;
                        worst =
                            std::max(worst, static_cast<int>(std::abs(ours[c] - expected) + 0.5));
                    }
                    if (bands == 4) {
                        worst = std::max(
                            worst, static_cast<int>(std::abs(ours[3] - sums[3] / count) + 0.5));
                    }
                }
            }
            CHECK(worst <= 1);  // rounding only
        }
    }
}

TEST_CASE("transparent pixels lend no colour to their block", "[pipeline][png]") {
    // Left column opaque red, right column transparent *green*: the block is pure red.
    const std::uint8_t samples[16] = {255, 0, 0, 255, 0, 255, 0, 0, 255, 0, 0, 255, 0, 255, 0, 0};
    VImage image = VImage::new_from_memory(const_cast<std::uint8_t*>(samples), sizeof samples, 2, 2,
                                           4, VIPS_FORMAT_UCHAR)
                       .copy_memory();
    image.get_image()->Type = VIPS_INTERPRETATION_sRGB;
    const auto pixels = read_png(test::png_of(image), 2, kRoomy);
    REQUIRE(pixels);
    REQUIRE(pixels->samples.size() == 4);
    CHECK(static_cast<int>(pixels->samples[0]) == 255);
    CHECK(static_cast<int>(pixels->samples[1]) == 0);
    CHECK(static_cast<int>(pixels->samples[2]) == 0);
    CHECK(static_cast<int>(pixels->samples[3]) == 128);
}

TEST_CASE("an embedded ICC profile comes back whole", "[pipeline][png]") {
    const VImage source = photo(3).icc_transform(
        "srgb", VImage::option()->set("embedded", false)->set("input_profile", "srgb"));
    const std::string bytes = test::take_blob(source.pngsave_buffer());
    const VImage theirs = VImage::new_from_buffer(bytes.data(), bytes.size(), "");
    REQUIRE(theirs.get_typeof(VIPS_META_ICC_NAME) != 0);
    std::size_t length = 0;
    const void* profile = theirs.get_blob(VIPS_META_ICC_NAME, &length);
    const auto pixels = read_png(bytes, 1, kRoomy);
    REQUIRE(pixels);
    CHECK(pixels->icc_profile == std::string(static_cast<const char*>(profile), length));
}

TEST_CASE("PNGs outside the fast path, or broken ones, are left to libvips", "[pipeline][png]") {
    const VImage rgb = photo(3);
    const std::string good = png_with(rgb, VIPS_FOREIGN_PNG_FILTER_ALL);
    REQUIRE(read_png(good, 1, kRoomy));

    SECTION("a palette") {
        CHECK_FALSE(
            read_png(test::take_blob(rgb.pngsave_buffer(VImage::option()->set("palette", true))), 1,
                     kRoomy));
    }
    SECTION("16 bits per sample") {
        CHECK_FALSE(read_png(test::take_blob(rgb.cast(VIPS_FORMAT_USHORT)
                                                 .copy(VImage::option()->set(
                                                     "interpretation", VIPS_INTERPRETATION_RGB16))
                                                 .pngsave_buffer()),
                             1, kRoomy));
    }
    SECTION("interlaced") {
        CHECK_FALSE(read_png(png_with(rgb, VIPS_FOREIGN_PNG_FILTER_ALL, true), 1, kRoomy));
    }
    SECTION("more rows than it may hold") {
        const std::size_t rows = static_cast<std::size_t>(rgb.width() * 3 + 1) * rgb.height();
        CHECK(read_png(good, 1, rows));
        CHECK_FALSE(read_png(good, 1, rows - 1));
    }
    SECTION("a shrink out of range") {
        CHECK_FALSE(read_png(good, 0, kRoomy));
        CHECK_FALSE(read_png(good, 1000, kRoomy));
    }
    SECTION("truncated anywhere") {
        for (std::size_t keep : {std::size_t{0}, std::size_t{7}, std::size_t{20}, good.size() / 2,
                                 good.size() - 13, good.size() - 1}) {
            CAPTURE(keep);
            CHECK_FALSE(read_png(good.substr(0, keep), 1, kRoomy));
        }
    }
    SECTION("a flipped byte in the pixel data fails its CRC") {
        std::string broken = good;
        broken[good.size() / 2] = static_cast<char>(broken[good.size() / 2] ^ 0x40);
        CHECK_FALSE(read_png(broken, 1, kRoomy));
    }
    SECTION("not a PNG") {
        CHECK_FALSE(read_png(test::jpeg_of(rgb), 1, kRoomy));
        CHECK_FALSE(read_png("", 1, kRoomy));
    }
}

TEST_CASE("a large cut-out through the fast path is the picture libvips' own load gives",
          "[pipeline][png]") {
    test::ensure_vips();
    // 24 MP RGBA to 800 px: box-shrunk by 6 as it is decoded, then resampled by libvips.
    const std::string original =
        test::read_bytes(test::data_dir() / "corpus/rembg__food-1.out.alpha.png");
    pipeline::RenderPlan plan;
    plan.width = plan.height = 800;
    plan.format = pipeline::ImageFormat::Webp;
    plan.sharpen = false;  // compare the decode and resize alone
    const auto info = pipeline::probe(original, config::LimitsConfig{});
    REQUIRE(info);
    const pipeline::DeadlineGuard guard(Deadline::after(std::chrono::seconds(30)));
    const auto transformed = pipeline::transform(original, *info, plan, guard);
    REQUIRE(transformed);
    CHECK(transformed->route == pipeline::DecodeRoute::PngFastPath);
    const VImage* ours = &transformed->pixels;
    VipsBlob* blob = vips_blob_new(nullptr, original.data(), original.size());
    const VImage theirs =
        VImage::thumbnail_buffer(blob, 800, VImage::option()->set("height", 800)).copy_memory();
    vips_area_unref(VIPS_AREA(blob));
    REQUIRE(ours->width() == theirs.width());
    REQUIRE(ours->height() == theirs.height());
    REQUIRE(ours->bands() == 4);
    const VImage difference =
        (ours->cast(VIPS_FORMAT_INT) - theirs.cast(VIPS_FORMAT_INT)).abs().copy_memory();
    for (int band = 0; band < 4; ++band) {
        CAPTURE(band);
        CHECK(difference.extract_band(band).avg() < 1.0);
    }
}
