// Photos come out upright and in sRGB whatever their EXIF orientation and colour profile.
#include "config/config.h"
#include "pipeline/render.h"
#include "pipeline/vips_runtime.h"
#include "tests/support/corpus.h"
#include "tests/support/image_checks.h"
#include "tests/support/vips_fixtures.h"

#include <cmath>
#include <lcms2.h>
#include <optional>

#include <catch2/catch.hpp>
#include <vips/vips8>

using namespace imgline;
using namespace imgline::pipeline;
using namespace std::chrono_literals;
using vips::VImage;

namespace {

const config::LimitsConfig kLimits{};

// An upright picture no rotation or mirror maps onto itself: a gradient with a dark block in
// the top-left corner and a bright bar along the bottom.
VImage upright_reference() {
    const VImage xy = VImage::xyz(360, 240);
    VImage base = (xy.extract_band(0) * 0.5 + 60)
                      .bandjoin(xy.extract_band(1) * 0.6 + 40)
                      .bandjoin(xy.extract_band(0) * 0.2 + 100);
    base = base.cast(VIPS_FORMAT_UCHAR);
    const VImage block = VImage::black(90, 70, VImage::option()->set("bands", 3));
    const VImage bar = VImage::black(360, 30, VImage::option()->set("bands", 3)) + 250;
    return base.insert(block, 10, 10)
        .insert(bar.cast(VIPS_FORMAT_UCHAR), 0, 210)
        .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

bool same_pixels(const VImage& a, const VImage& b) {
    return a.width() == b.width() && a.height() == b.height() && (a - b).abs().max() == 0;
}

// The stored pixels that display as `upright` under EXIF `orientation`, found with libvips'
// own autorot among the eight rotations and mirrors.
VImage stored_for(const VImage& upright, int orientation) {
    for (VipsAngle angle : {VIPS_ANGLE_D0, VIPS_ANGLE_D90, VIPS_ANGLE_D180, VIPS_ANGLE_D270}) {
        for (bool mirror : {false, true}) {
            VImage candidate = upright.rot(angle);
            if (mirror) {
                candidate = candidate.flip(VIPS_DIRECTION_HORIZONTAL);
            }
            candidate = candidate.copy();
            candidate.set("orientation", orientation);
            if (same_pixels(candidate.autorot(), upright)) {
                return candidate;
            }
        }
    }
    throw std::runtime_error("no stored form for orientation " + std::to_string(orientation));
}

RenderPlan fit_plan(int box, ImageFormat format) {
    RenderPlan plan;
    plan.fit = Fit::Fit;
    plan.width = box;
    plan.height = box;
    plan.format = format;
    plan.budget = Budget{200 * 1024, 80, 95};
    return plan;
}

double colour_distance(const std::array<double, 3>& a, const std::array<double, 3>& b) {
    double worst = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        worst = std::max(worst, std::abs(a[i] - b[i]));
    }
    return worst;
}

// The sRGB reference of a file: libvips' own ICC transform of the full image, then resized.
std::array<double, 3> reference_mean(const std::string& bytes, const char* import_profile) {
    VImage image = VImage::new_from_buffer(bytes.data(), bytes.size(), "");
    image = image.icc_transform(
        "srgb", VImage::option()->set("embedded", true)->set("input_profile", import_profile));
    std::array<double, 3> mean{};
    for (int band = 0; band < 3; ++band) {
        mean[static_cast<std::size_t>(band)] = image.extract_band(band).avg();
    }
    return mean;
}

// The same pixels read as if they were sRGB already (what a server that ignores profiles
// shows): the negative control that proves the check can fail.
std::array<double, 3> ignored_profile_mean(const std::string& bytes) {
    const VImage image = VImage::new_from_buffer(bytes.data(), bytes.size(), "");
    std::array<double, 3> mean{};
    for (int band = 0; band < 3; ++band) {
        mean[static_cast<std::size_t>(band)] = image.extract_band(band).avg();
    }
    return mean;
}

}  // namespace

TEST_CASE("all eight EXIF orientations render as the upright picture", "[pipeline][orientation]") {
    test::ensure_vips();
    // Alone, and sharing the cores (where fitted JPEGs take pipeline/resample's path).
    const bool busy = GENERATE(false, true);
    CAPTURE(busy);
    std::optional<RenderThreads> another;
    if (busy) {
        another.emplace();
    }
    const VImage upright = upright_reference();
    const std::string reference_jpeg = test::jpeg_of(upright, 95);
    const auto reference =
        render(reference_jpeg, fit_plan(300, ImageFormat::Png), kLimits, Deadline::after(30s));
    REQUIRE(reference);
    const auto reference_hash = test::dhash(reference->bytes);
    for (int orientation = 1; orientation <= 8; ++orientation) {
        CAPTURE(orientation);
        const VImage stored = stored_for(upright, orientation);
        const std::string jpeg = test::jpeg_of(stored, 95, true);
        const auto rendition =
            render(jpeg, fit_plan(300, ImageFormat::Png), kLimits, Deadline::after(30s));
        REQUIRE(rendition);
        CHECK(rendition->width == 300);
        CHECK(rendition->height == 200);
        CHECK(test::hamming(test::dhash(rendition->bytes), reference_hash) <= 4);
        CHECK(test::mean_difference(rendition->bytes, reference->bytes) < 4.0);
        if (orientation != 1) {
            // Without turning it upright the picture would differ a lot: the test can fail.
            CHECK(test::mean_difference(test::png_of(stored), reference->bytes) > 20.0);
        }
    }
}

TEST_CASE("the iPhone photos with EXIF orientation 6 come out portrait",
          "[pipeline][orientation]") {
    test::ensure_vips();
    const bool busy = GENERATE(false, true);
    CAPTURE(busy);
    std::optional<RenderThreads> another;
    if (busy) {
        another.emplace();
    }
    for (const char* name : {"bimg__test_exif_full.jpg", "bimg__test.heic"}) {
        CAPTURE(name);
        const std::string bytes = test::read_bytes(test::data_dir() / "corpus" / name);
        const auto rendition =
            render(bytes, fit_plan(800, ImageFormat::Jpeg), kLimits, Deadline::after(60s));
        REQUIRE(rendition);
        CHECK(rendition->height == 800);
        CHECK(rendition->width == 600);
    }
}

TEST_CASE("Adobe RGB, Display P3 and CMYK photos land near their sRGB references",
          "[pipeline][colour]") {
    test::ensure_vips();

    struct Case {
        const char* file;
        const char* fallback_profile;
        double control_gap;  // how far ignoring the profile would be, at least (0: too close
                             // to tell by mean colour, as for this P3 photo)
    };

    const Case cases[] = {
        {"imagor__jpg-24bit-icc-adobe-rgb.jpg", "srgb", 3.0},
        {"bimg__test_exif_full.jpg", "srgb", 0.0},
        {"bimg__test.heic", "srgb", 0.0},
        {"sharp__Channel_digital_image_CMYK_color.jpg", "cmyk", 20.0},
        {"sharp__Channel_digital_image_CMYK_color_no_profile.jpg", "cmyk", 20.0},
    };
    const bool busy = GENERATE(false, true);
    CAPTURE(busy);
    std::optional<RenderThreads> another;
    if (busy) {
        another.emplace();
    }
    for (const auto& c : cases) {
        CAPTURE(c.file);
        const std::string bytes = test::read_bytes(test::data_dir() / "corpus" / c.file);
        const auto rendition =
            render(bytes, fit_plan(400, ImageFormat::Png), kLimits, Deadline::after(60s));
        REQUIRE(rendition);
        const auto rendered = test::decode(rendition->bytes);
        const auto reference = reference_mean(bytes, c.fallback_profile);
        CHECK(colour_distance(rendered.mean_rgb, reference) < 1.5);
        if (c.control_gap > 0 && std::string(c.file).find("CMYK") == std::string::npos) {
            CHECK(colour_distance(ignored_profile_mean(bytes), reference) > c.control_gap);
        }
    }
}

TEST_CASE("a grey JPEG with a grey profile renders grey, alone and sharing the cores",
          "[pipeline][colour]") {
    test::ensure_vips();
    // A grey gradient tagged with a gamma-2.2 grey profile (made with lcms).
    cmsToneCurve* gamma = cmsBuildGamma(nullptr, 2.2);
    cmsHPROFILE grey = cmsCreateGrayProfile(cmsD50_xyY(), gamma);
    cmsUInt32Number length = 0;
    REQUIRE(cmsSaveProfileToMem(grey, nullptr, &length));
    std::string profile(length, '\0');
    REQUIRE(cmsSaveProfileToMem(grey, profile.data(), &length));
    cmsCloseProfile(grey);
    cmsFreeToneCurve(gamma);
    VImage image = (VImage::xyz(1200, 800).extract_band(0) * (255.0 / 1200))
                       .cast(VIPS_FORMAT_UCHAR)
                       .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_B_W))
                       .copy_memory();
    vips_image_set_blob_copy(image.get_image(), VIPS_META_ICC_NAME, profile.data(), profile.size());
    const std::string jpeg = test::jpeg_of(image, 95, true);
    REQUIRE(VImage::new_from_buffer(jpeg.data(), jpeg.size(), "").get_typeof(VIPS_META_ICC_NAME) !=
            0);
    std::optional<Rendition> alone;
    std::optional<Rendition> shared;
    for (const bool busy : {false, true}) {
        CAPTURE(busy);
        std::optional<RenderThreads> another;
        if (busy) {
            another.emplace();
        }
        auto rendition =
            render(jpeg, fit_plan(600, ImageFormat::Jpeg), kLimits, Deadline::after(30s));
        if (!rendition) {
            FAIL(rendition.error().public_message + " / " + rendition.error().detail);
        }
        const auto decoded = test::decode(rendition->bytes);
        CHECK(decoded.width == 600);
        CHECK(decoded.height == 400);
        // Grey in, grey out: the three channels agree.
        CHECK(std::abs(decoded.mean_rgb[0] - decoded.mean_rgb[1]) < 1.0);
        CHECK(std::abs(decoded.mean_rgb[1] - decoded.mean_rgb[2]) < 1.0);
        (busy ? shared : alone) = std::move(*rendition);
    }
    CHECK(test::mean_difference(shared->bytes, alone->bytes) < 1.5);
}
