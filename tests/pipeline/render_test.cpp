// The pipeline with real libvips on synthetic images and single corpus files: geometry,
// formats, alpha, animation, metadata, deadlines, and the budget fallbacks.
#include "pipeline/render.h"

#include "config/config.h"
#include "pipeline/image_format.h"
#include "pipeline/probe.h"
#include "pipeline/vips_runtime.h"
#include "tests/support/corpus.h"
#include "tests/support/image_checks.h"
#include "tests/support/vips_fixtures.h"

#include <optional>

#include <catch2/catch.hpp>
#include <vips/vips8>

using namespace imgline;
using namespace imgline::pipeline;
using namespace std::chrono_literals;
using vips::VImage;

namespace {

// A noisy colour gradient: photo-like enough that encoders cannot make it trivially small.
VImage photo_like(int width, int height) {
    const VImage xy = VImage::xyz(width, height);
    const VImage red = xy.extract_band(0) * (255.0 / width);
    const VImage green = xy.extract_band(1) * (255.0 / height);
    const VImage noise = VImage::gaussnoise(width, height, VImage::option()->set("sigma", 40));
    return red.bandjoin(green)
        .bandjoin(noise)
        .cast(VIPS_FORMAT_UCHAR)
        .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

RenderPlan plan_for(
    Fit fit, int width, int height, ImageFormat format, std::uint64_t max_bytes = 200 * 1024) {
    RenderPlan plan;
    plan.fit = fit;
    plan.width = width;
    plan.height = height;
    plan.format = format;
    plan.budget = Budget{max_bytes, 50, 90};
    return plan;
}

const config::LimitsConfig kLimits{};

Rendition must_render(std::string_view bytes, const RenderPlan& plan) {
    auto rendition = render(bytes, plan, kLimits, Deadline::after(30s));
    if (!rendition) {
        FAIL(rendition.error().public_message + " / " + rendition.error().detail);
    }
    return std::move(*rendition);
}

}  // namespace

TEST_CASE("each geometry gives the exact output size", "[pipeline][geometry]") {
    test::ensure_vips();
    // Alone, and sharing the cores (where JPEGs are resized in memory by pipeline/resample).
    const bool busy = GENERATE(false, true);
    CAPTURE(busy);
    std::optional<RenderThreads> another;
    if (busy) {
        another.emplace();
    }
    const std::string landscape = test::jpeg_of(photo_like(1200, 800));

    struct Case {
        Fit fit;
        int box_w;
        int box_h;
        int expect_w;
        int expect_h;
    };

    const Case cases[] = {
        {Fit::Fit, 600, 600, 600, 400},
        {Fit::Fit, 300, 600, 300, 200},
        {Fit::Fit, 2400, 2400, 1200, 800},  // never upscaled
        {Fit::Fill, 240, 240, 240, 240},
        {Fit::Fill, 500, 200, 500, 200},
        {Fit::Pad, 800, 800, 800, 800},
        {Fit::Pad, 2000, 1000, 2000, 1000},  // padded, not upscaled
    };
    for (const auto& c : cases) {
        CAPTURE(static_cast<int>(c.fit), c.box_w, c.box_h);
        const auto plan = plan_for(c.fit, c.box_w, c.box_h, ImageFormat::Jpeg);
        const auto rendition = must_render(landscape, plan);
        const auto decoded = test::decode(rendition.bytes);
        CHECK(decoded.width == c.expect_w);
        CHECK(decoded.height == c.expect_h);
        CHECK(rendition.width == c.expect_w);
        CHECK(rendition.height == c.expect_h);
        const auto predicted = output_size({1200, 800}, plan);
        CHECK(predicted.width == c.expect_w);
        CHECK(predicted.height == c.expect_h);
    }
}

TEST_CASE("upscale is honoured only when the preset allows it", "[pipeline][geometry]") {
    test::ensure_vips();
    auto plan = plan_for(Fit::Fit, 800, 800, ImageFormat::Jpeg);
    plan.upscale = true;
    const auto rendition = must_render(test::jpeg_of(photo_like(400, 200)), plan);
    CHECK(rendition.width == 800);
    CHECK(rendition.height == 400);
}

TEST_CASE("pad fills the box with the preset's background", "[pipeline][geometry]") {
    test::ensure_vips();
    auto plan = plan_for(Fit::Pad, 400, 400, ImageFormat::Png);
    plan.background = {10, 200, 30};
    const auto rendition = must_render(test::jpeg_of(photo_like(400, 100)), plan);
    const VImage out = VImage::new_from_buffer(rendition.bytes.data(), rendition.bytes.size(), "");
    const auto corner = out.getpoint(2, 2);
    CHECK(corner[0] == Approx(10).margin(3));
    CHECK(corner[1] == Approx(200).margin(3));
    CHECK(corner[2] == Approx(30).margin(3));
}

TEST_CASE("every output format is what its magic bytes say", "[pipeline][format]") {
    test::ensure_vips();
    const std::string original = test::jpeg_of(photo_like(900, 600));
    for (auto format :
         {ImageFormat::Jpeg, ImageFormat::Webp, ImageFormat::Png, ImageFormat::Avif}) {
        CAPTURE(format_name(format));
        const auto rendition = must_render(original, plan_for(Fit::Fit, 300, 300, format));
        CHECK(sniff_format(rendition.bytes) == format);
        CHECK(rendition.format == format);
        CHECK(rendition.budget_met);
        CHECK(rendition.bytes.size() <= 200 * 1024);
        CHECK(test::decode(rendition.bytes).width == 300);
    }
}

TEST_CASE("alpha is flattened onto the background for JPEG and kept for WebP and PNG",
          "[pipeline][alpha]") {
    test::ensure_vips();
    const std::string cutout = test::read_bytes(test::data_dir() / "corpus/rembg__car-2.out.png");
    // At 500 px the cut-out is reduced less than 3x; at 200 px more, so it is also sharpened.
    for (const int side : {500, 200}) {
        CAPTURE(side);
        auto jpeg_plan = plan_for(Fit::Fit, side, side, ImageFormat::Jpeg);
        jpeg_plan.background = {255, 255, 255};
        const auto bytes = must_render(cutout, jpeg_plan).bytes;
        CHECK(test::decode(bytes).bands == 3);
        // The transparent corner became the white background in the JPEG.
        const VImage out = VImage::new_from_buffer(bytes.data(), bytes.size(), "");
        CHECK(out.getpoint(1, 1)[0] > 245);
        for (auto format : {ImageFormat::Webp, ImageFormat::Png}) {
            CAPTURE(format_name(format));
            const auto kept =
                test::decode(must_render(cutout, plan_for(Fit::Fit, side, side, format)).bytes);
            CHECK(kept.bands == 4);
        }
    }
}

TEST_CASE("an animation renders its first frame only", "[pipeline][animation]") {
    test::ensure_vips();
    const std::string gif =
        test::read_bytes(test::data_dir() / "corpus/thumbor__Rotating_earth_large.gif");
    const auto info = probe(gif, kLimits);
    REQUIRE(info);
    CHECK(info->frames > 1);
    const auto rendition = must_render(gif, plan_for(Fit::Fit, 200, 200, ImageFormat::Webp));
    const auto decoded = test::decode(rendition.bytes);
    CHECK(decoded.pages == 1);
    CHECK(decoded.height == 200);
}

TEST_CASE("renditions carry no metadata", "[pipeline][metadata]") {
    test::ensure_vips();
    for (const char* file :
         {"corpus/bimg__test_exif_full.jpg", "corpus-hostile/fuzzdb__POC_phpinfo-metadata.jpg",
          "corpus-hostile/patt__payload_in_all_known_metadata.jpg"}) {
        CAPTURE(file);
        const std::string original = test::read_bytes(test::data_dir() / file);
        for (auto format : {ImageFormat::Jpeg, ImageFormat::Webp, ImageFormat::Png}) {
            const auto rendition = must_render(original, plan_for(Fit::Fit, 400, 400, format));
            const auto decoded = test::decode(rendition.bytes);
            CHECK_FALSE(decoded.has_exif);
            CHECK_FALSE(decoded.has_xmp);
            CHECK_FALSE(decoded.has_icc);
            CHECK(rendition.bytes.find("<?php") == std::string::npos);
            CHECK(rendition.bytes.find("Exif") == std::string::npos);
        }
    }
}

TEST_CASE("a render past its deadline is cancelled with Timeout", "[pipeline][deadline]") {
    test::ensure_vips();
    // A 24-megapixel PNG cannot be decoded in 5 ms; the eval callback must stop it.
    const std::string big =
        test::read_bytes(test::data_dir() / "corpus/rembg__food-1.out.alpha.png");
    const auto started = std::chrono::steady_clock::now();
    const auto result = render(big, plan_for(Fit::Fit, 1600, 1600, ImageFormat::Jpeg), kLimits,
                               Deadline::after(5ms));
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::Timeout);
    CHECK(http_status(result.error().code) == 503);
    // The same render with time to spare succeeds (the failure was the deadline, not the file).
    const auto spent = std::chrono::steady_clock::now() - started;
    CAPTURE(std::chrono::duration_cast<std::chrono::milliseconds>(spent).count());
    CHECK(render(big, plan_for(Fit::Fit, 1600, 1600, ImageFormat::Jpeg), kLimits,
                 Deadline::after(60s)));
}

TEST_CASE("a budget below what the lowest quality can reach shrinks the image to fit",
          "[pipeline][budget]") {
    test::ensure_vips();
    const std::string original = test::jpeg_of(photo_like(1600, 1200));
    auto plan = plan_for(Fit::Fit, 1600, 1600, ImageFormat::Jpeg, 40 * 1024);
    const auto rendition = must_render(original, plan);
    CHECK(rendition.shrunk);
    CHECK(rendition.width < 1600);
    CHECK(rendition.quality == plan.budget.quality_min);
    CHECK(rendition.budget_met == (rendition.bytes.size() <= plan.budget.max_bytes));
    CHECK(rendition.budget_met);
    CHECK(rendition.encodes <= 7);
}

TEST_CASE("an unmet budget is refused with 422 when the preset says so", "[pipeline][budget]") {
    test::ensure_vips();
    const std::string original = test::jpeg_of(photo_like(1600, 1200));
    auto plan = plan_for(Fit::Fit, 1600, 1600, ImageFormat::Jpeg, 200);
    plan.serve_unmet_budget = true;
    const auto served = render(original, plan, kLimits, Deadline::after(30s));
    REQUIRE(served);
    CHECK_FALSE(served->budget_met);  // reported, never silent
    plan.serve_unmet_budget = false;
    const auto refused = render(original, plan, kLimits, Deadline::after(30s));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::UnsupportedImage);
}

TEST_CASE("probe refuses oversized images from the header alone", "[pipeline][limits]") {
    test::ensure_vips();
    const std::string bomb =
        test::read_bytes(test::data_dir() / "corpus-hostile/fuzzdb__lottapixel.jpg");
    const auto refused = probe(bomb, kLimits);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::TooManyPixels);

    config::LimitsConfig tight;
    tight.max_pixels = 1000;
    const auto small = probe(test::jpeg_of(photo_like(100, 100)), tight);
    REQUIRE_FALSE(small);
    CHECK(small.error().code == ErrorCode::TooManyPixels);
    tight = {};
    tight.max_side = 50;
    CHECK(probe(test::jpeg_of(photo_like(100, 20)), tight).error().code ==
          ErrorCode::TooManyPixels);
    tight = {};
    tight.max_frames = 3;
    const std::string gif =
        test::read_bytes(test::data_dir() / "corpus/thumbor__Rotating_earth_large.gif");
    CHECK(probe(gif, tight).error().code == ErrorCode::TooManyPixels);
}

TEST_CASE("a lossless PNG cut-out is kept lossless when it fits", "[pipeline][budget]") {
    test::ensure_vips();
    const VImage flat =
        (VImage::black(300, 200, VImage::option()->set("bands", 3)) + 200)
            .bandjoin(255)
            .cast(VIPS_FORMAT_UCHAR)
            .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
    // Larger than the box, so it is resized and encoded rather than passed through.
    const auto rendition =
        must_render(test::png_of(flat), plan_for(Fit::Fit, 150, 150, ImageFormat::Png));
    CHECK_FALSE(rendition.passthrough);
    CHECK(rendition.quality == 100);
    CHECK(rendition.encodes == 1);
}

TEST_CASE("an original that already fits the preset is passed through, stripped, not re-encoded",
          "[pipeline][passthrough]") {
    test::ensure_vips();
    VImage photo = photo_like(600, 400);
    photo.set("orientation", 1);
    photo.set("exif-ifd0-Artist", "Supplier Camera Team");
    const std::string with_exif = test::jpeg_of(photo, 85, true);
    REQUIRE(test::decode(with_exif).has_exif);

    const auto plan = plan_for(Fit::Fit, 800, 800, ImageFormat::Jpeg);
    const auto rendition = must_render(with_exif, plan);
    CHECK(rendition.passthrough);
    CHECK(rendition.encodes == 0);
    CHECK(rendition.bytes.size() < with_exif.size());
    CHECK_FALSE(test::decode(rendition.bytes).has_exif);
    CHECK(test::mean_difference(rendition.bytes, with_exif) == 0.0);  // the very same pixels

    // Not when it must change: another format, a smaller box, or a turned camera photo.
    CHECK_FALSE(
        must_render(with_exif, plan_for(Fit::Fit, 800, 800, ImageFormat::Webp)).passthrough);
    CHECK_FALSE(
        must_render(with_exif, plan_for(Fit::Fit, 300, 300, ImageFormat::Jpeg)).passthrough);
    CHECK_FALSE(
        must_render(with_exif, plan_for(Fit::Pad, 800, 800, ImageFormat::Jpeg)).passthrough);
    photo.set("orientation", 6);
    CHECK_FALSE(must_render(test::jpeg_of(photo, 85, true), plan).passthrough);
}

TEST_CASE("PNG text and EXIF chunks are stripped on passthrough", "[pipeline][passthrough]") {
    test::ensure_vips();
    for (const char* name :
         {"patt__PHP_exif_system.png", "patt__imagemagick_CVE-2022-44268_convert_etc_passwd.png"}) {
        CAPTURE(name);
        const std::string png = test::read_bytes(test::data_dir() / "corpus-hostile" / name);
        REQUIRE(
            (png.find("<?php") != std::string::npos || png.find("passwd") != std::string::npos));
        const auto rendition = must_render(png, plan_for(Fit::Fit, 400, 400, ImageFormat::Png));
        CHECK(rendition.passthrough);
        CHECK(rendition.bytes.find("<?php") == std::string::npos);
        CHECK(rendition.bytes.find("passwd") == std::string::npos);
        CHECK(test::mean_difference(rendition.bytes, png) == 0.0);
    }
}

TEST_CASE("a JPEG shrunk in the decoder renders the same picture as one decoded whole",
          "[pipeline][geometry]") {
    test::ensure_vips();
    // 12 MP, EXIF orientation 6: to 1600 px the decoder may shrink by 2 (margin 1.2), where
    // libvips' own margin of 2 decodes it whole; to 800 px by 4 instead of 2.
    const std::string original =
        test::read_bytes(test::data_dir() / "corpus/bimg__test_exif_full.jpg");
    for (const int side : {1600, 800}) {
        CAPTURE(side);
        auto quick = plan_for(Fit::Fit, side, side, ImageFormat::Jpeg, 400 * 1024);
        auto careful = quick;
        careful.decode_margin = 2.0;
        const auto from_quick = must_render(original, quick);
        const auto from_careful = must_render(original, careful);
        CHECK(from_quick.width == from_careful.width);
        CHECK(from_quick.height == from_careful.height);
        CHECK(from_quick.height == side);  // upright: the long side is the height
        CHECK(test::mean_difference(from_quick.bytes, from_careful.bytes) < 1.5);
        CHECK(test::hamming(test::dhash(from_quick.bytes), test::dhash(from_careful.bytes)) <= 2);
    }
}

TEST_CASE("a photo resized in memory lands on the picture libvips' thumbnail makes",
          "[pipeline][geometry]") {
    test::ensure_vips();
    // The 12 MP iPhone photo (EXIF orientation 6, Display P3) and an opaque PNG (RGB and grey),
    // in each geometry, alone and with the cores shared: imgline decodes them into memory,
    // resizes, turns and crops them (pipeline/resample) and converts the profile itself;
    // libvips' thumbnail does all of that in one pipeline. (No sharpen here: libvips' thumbnail
    // has none.)
    const std::string iphone =
        test::read_bytes(test::data_dir() / "corpus/bimg__test_exif_full.jpg");
    const VImage kite =
        VImage::thumbnail((test::data_dir() / "corpus/plasma__Kite_2560x1600.jpg").c_str(), 1600)
            .copy_memory();
    const std::string png_rgb = test::png_of(kite);
    const std::string png_grey = test::png_of(kite.colourspace(VIPS_INTERPRETATION_B_W));

    struct Case {
        Fit fit;
        int width;
        int height;
    };

    for (const std::string* original : {&iphone, &png_rgb, &png_grey}) {
        for (const bool busy : {false, true}) {
            std::optional<RenderThreads> another;
            if (busy) {
                another.emplace();
            }
            for (const Case& c :
                 {Case{Fit::Fit, 800, 800}, Case{Fit::Fill, 240, 240}, Case{Fit::Fill, 500, 200}}) {
                CAPTURE(original == &iphone    ? "iphone"
                        : original == &png_rgb ? "png"
                                               : "grey png",
                        busy, static_cast<int>(c.fit), c.width, c.height);
                // Lossless output, so that only the pixels are compared (a textured photo in
                // JPEG differs by a few levels from one quality to another).
                auto plan = plan_for(c.fit, c.width, c.height, ImageFormat::Png, 16 * 1024 * 1024);
                plan.sharpen = false;
                // Shrink in the decoder as far as libvips' thumbnail does (it keeps 2x for its
                // resampler; imgline's default 1.2x would make a softer or sharper start).
                plan.decode_margin = 2.0;
                const auto ours = must_render(*original, plan);
                VipsBlob* blob = vips_blob_new(nullptr, original->data(), original->size());
                auto options = VImage::option()
                                   ->set("height", c.height)
                                   ->set("size", VIPS_SIZE_DOWN)
                                   ->set("crop", c.fit == Fit::Fill ? VIPS_INTERESTING_CENTRE
                                                                    : VIPS_INTERESTING_NONE);
                if (original == &iphone) {
                    // (Only where there is a profile: libvips 8.14 shifts a profile-less
                    // image's colours by a level or two when asked to export sRGB.)
                    options->set("export_profile", "srgb");
                }
                const VImage theirs = VImage::thumbnail_buffer(blob, c.width, options);
                vips_area_unref(VIPS_AREA(blob));
                const std::string reference = test::png_of(theirs.copy_memory());
                CHECK(ours.width == theirs.width());
                CHECK(ours.height == theirs.height());
                // Under a level apart on average; a crop one pixel off, or the colours left in
                // Display P3, would be further.
                CHECK(test::mean_difference(ours.bytes, reference) < 1.0);
                CHECK(test::hamming(test::dhash(ours.bytes), test::dhash(reference)) <= 4);
            }
        }
    }
}

TEST_CASE("renders running at once share the cores", "[pipeline][threads]") {
    test::ensure_vips();  // started with 2 cores to share
    {
        const RenderThreads first;
        CHECK(vips_concurrency_get() == 2);  // a lone render uses both
        {
            const RenderThreads second;
            CHECK(vips_concurrency_get() == 1);  // two at once: one each
            const RenderThreads third;
            CHECK(vips_concurrency_get() == 1);  // never below one
        }
        CHECK(vips_concurrency_get() == 2);
    }
    CHECK(vips_concurrency_get() == 2);
}

TEST_CASE("fill with attention crops a large JPEG decoded at a reduced scale",
          "[pipeline][geometry]") {
    test::ensure_vips();
    // 12 MP to 240x240: decoded at 1/8 scale, sequentially, then cropped to its busiest part.
    const std::string original =
        test::read_bytes(test::data_dir() / "corpus/bimg__test_exif_full.jpg");
    auto plan = plan_for(Fit::Fill, 240, 240, ImageFormat::Jpeg, 100 * 1024);
    plan.gravity = Gravity::Attention;
    const auto rendition = must_render(original, plan);
    CHECK(rendition.width == 240);
    CHECK(rendition.height == 240);
    const auto centre = plan_for(Fit::Fill, 240, 240, ImageFormat::Jpeg, 100 * 1024);
    CHECK(must_render(original, centre).width == 240);
}
