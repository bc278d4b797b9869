// The kept conversion (pipeline/colour_transform) against libvips' own conversion.
#include "pipeline/colour_transform.h"

#include "config/config.h"
#include "pipeline/render.h"
#include "pipeline/vips_runtime.h"
#include "tests/support/corpus.h"
#include "tests/support/image_checks.h"
#include "tests/support/vips_fixtures.h"

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <vips/vips8>

using namespace imgline;
using vips::VImage;
using namespace std::chrono_literals;

namespace {

std::string profile_of(const VImage& image) {
    std::size_t length = 0;
    const void* data = image.get_blob(VIPS_META_ICC_NAME, &length);
    return {static_cast<const char*>(data), length};
}

std::vector<std::uint8_t> samples_of(const VImage& image) {
    const auto* data = static_cast<const std::uint8_t*>(image.data());
    return {data, data + static_cast<std::size_t>(image.width()) * image.height() * image.bands()};
}

}  // namespace

TEST_CASE("an embedded RGB profile converts to sRGB as libvips converts it, alpha kept",
          "[pipeline][colour]") {
    test::ensure_vips();
    for (const char* name : {"bimg__test_exif_full.jpg", "imagor__jpg-24bit-icc-adobe-rgb.jpg"}) {
        CAPTURE(name);
        const auto path = test::data_dir() / "corpus" / name;
        // Device RGB at 400 px with the profile still attached.
        const VImage device =
            VImage::thumbnail(path.c_str(), 400, VImage::option()->set("no_rotate", true))
                .copy_memory();
        REQUIRE(device.get_typeof(VIPS_META_ICC_NAME) != 0);
        const std::string profile = profile_of(device);
        const VImage theirs =
            device
                .icc_transform(
                    "srgb",
                    VImage::option()->set("embedded", true)->set("intent", VIPS_INTENT_RELATIVE))
                .cast(VIPS_FORMAT_UCHAR)
                .copy_memory();
        const auto before = samples_of(device);
        std::vector<std::uint8_t> ours(before.size());
        REQUIRE(
            pipeline::convert_to_srgb(before, ours, device.width(), device.height(), 3, profile));
        const auto reference = samples_of(theirs);
        REQUIRE(reference.size() == ours.size());
        int worst = 0;
        double total = 0;
        for (std::size_t i = 0; i < ours.size(); ++i) {
            const int difference = std::abs(ours[i] - reference[i]);
            worst = std::max(worst, difference);
            total += difference;
        }
        // Both matrix-shaper profiles: curves and matrix as lcms reads them, so a level at most.
        CHECK(worst <= 1);
        CHECK(total / static_cast<double>(ours.size()) < 0.05);
        // The pixels did change: these profiles are not sRGB.
        CHECK(ours != before);

        // With alpha: the colour is the same, the alpha copied.
        const VImage rgba = device.bandjoin_const({77.0}).copy_memory();
        auto with_alpha = samples_of(rgba);
        REQUIRE(pipeline::convert_to_srgb(with_alpha, with_alpha, rgba.width(), rgba.height(), 4,
                                          profile));
        bool same = true;
        for (std::size_t pixel = 0; pixel < ours.size() / 3; ++pixel) {
            for (int band = 0; band < 3; ++band) {
                same = same && with_alpha[pixel * 4 + band] == ours[pixel * 3 + band];
            }
            same = same && with_alpha[pixel * 4 + 3] == 77;
        }
        CHECK(same);
    }
}

TEST_CASE("a profile the kept transform cannot use leaves the pixels alone", "[pipeline][colour]") {
    std::vector<std::uint8_t> pixels(4 * 4 * 3, 100);
    const auto before = pixels;
    CHECK_FALSE(pipeline::convert_to_srgb(before, pixels, 4, 4, 3, "not a profile at all"));
    CHECK_FALSE(pipeline::convert_to_srgb(before, pixels, 4, 4, 3, ""));
    CHECK_FALSE(pipeline::convert_to_srgb(before, pixels, 4, 4, 1, "x"));  // grey: libvips' job
    CHECK_FALSE(pipeline::convert_to_srgb(before, pixels, 5, 4, 3, "x"));  // wrong size
    CHECK(pixels == before);
}

TEST_CASE("a render sharing the cores converts the profile itself, to the same picture",
          "[pipeline][colour]") {
    test::ensure_vips();
    // A JPEG's profile is converted by imgline's kept conversion whether the render runs alone
    // or shares the cores (libvips' thumbnail, which converts a render alone of other formats,
    // is compared with it in render_test.cpp). Both land on the same sRGB picture, converted.
    const std::string original =
        test::read_bytes(test::data_dir() / "corpus/bimg__test_exif_full.jpg");
    pipeline::RenderPlan plan;
    plan.width = plan.height = 800;
    plan.budget = pipeline::Budget{400 * 1024, 90, 90};
    const config::LimitsConfig limits{};
    const auto alone = pipeline::render(original, plan, limits, Deadline::after(30s));
    REQUIRE(alone);
    std::optional<pipeline::Rendition> shared;
    {
        const pipeline::RenderThreads another;  // as if another request were rendering
        auto rendition = pipeline::render(original, plan, limits, Deadline::after(30s));
        REQUIRE(rendition);
        shared = std::move(*rendition);
    }
    CHECK(shared->width == alone->width);
    CHECK(shared->height == alone->height);
    CHECK(test::mean_difference(shared->bytes, alone->bytes) < 1.0);
    // And it did convert: the P3 pixels taken as sRGB are further off.
    VipsBlob* blob = vips_blob_new(nullptr, original.data(), original.size());
    const std::string unconverted =
        test::jpeg_of(VImage::thumbnail_buffer(blob, 800).copy_memory(), 90);
    vips_area_unref(VIPS_AREA(blob));
    CHECK(test::mean_difference(alone->bytes, unconverted) >
          test::mean_difference(shared->bytes, alone->bytes) + 1.0);
}
