// The byte-budget contract over every photo of tests/data/corpus.
#include "config/config.h"
#include "pipeline/encode.h"
#include "pipeline/probe.h"
#include "pipeline/render.h"
#include "pipeline/transform.h"
#include "tests/support/corpus.h"
#include "tests/support/image_checks.h"

#include <filesystem>

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::pipeline;
using namespace std::chrono_literals;

namespace {

struct Photo {
    std::string name;
    std::string bytes;
};

const std::vector<Photo>& photos() {
    static const std::vector<Photo> all = [] {
        std::vector<Photo> loaded;
        for (const auto& row : test::manifest("corpus")) {
            const auto& name = row.at("file");
            loaded.push_back({name, test::read_bytes(test::data_dir() / "corpus" / name)});
        }
        return loaded;
    }();
    return all;
}

const config::LimitsConfig kLimits{};

// The best integer quality whose encode fits, by bisection over the whole range (the test's
// own oracle; the search under test may not use more than 4 encodes to get within 2 of it).
int best_quality(const vips::VImage& image, ImageFormat format, const Budget& budget) {
    int low = budget.quality_min;
    int high = budget.quality_max;
    int best = 0;
    while (low <= high) {
        const int middle = (low + high) / 2;
        const auto bytes = encode(image, {format, middle, false});
        REQUIRE(bytes);
        if (bytes->size() <= budget.max_bytes) {
            best = middle;
            low = middle + 1;
        } else {
            high = middle - 1;
        }
    }
    return best;
}

}  // namespace

TEST_CASE("every corpus photo fits every built-in preset's budget in JPEG and WebP",
          "[pipeline][budget][corpus]") {
    test::ensure_vips();
    REQUIRE(photos().size() >= 15);  // the selection in tests/data/corpus (19 photos)
    const auto config = config::builtin_config();
    for (const auto& photo : photos()) {
        for (const auto& preset : config.presets) {
            for (auto format : {ImageFormat::Jpeg, ImageFormat::Webp}) {
                CAPTURE(photo.name, preset.name, format_name(format));
                const auto plan = make_plan(preset, format);
                REQUIRE(plan);
                const auto rendition = render(photo.bytes, *plan, kLimits, Deadline::after(60s));
                REQUIRE(rendition);
                CHECK(rendition->budget_met);
                CHECK(rendition->bytes.size() <= preset.max_bytes);
                CHECK(rendition->encodes <= 4);
                CHECK(sniff_format(rendition->bytes) == format);
                CHECK(rendition->width <= static_cast<int>(preset.width));
                CHECK(rendition->height <= static_cast<int>(preset.height));
            }
        }
    }
}

TEST_CASE("PNG and AVIF renditions of every corpus photo also stay under budget",
          "[pipeline][budget][corpus]") {
    test::ensure_vips();
    config::PresetConfig preset;  // `list`: the size shops show in product grids
    preset.name = "list";
    preset.width = 480;
    preset.height = 480;
    preset.formats = {"png", "avif"};
    preset.max_bytes = 60 * 1024;
    for (const auto& photo : photos()) {
        for (auto format : {ImageFormat::Png, ImageFormat::Avif}) {
            CAPTURE(photo.name, format_name(format));
            const auto plan = make_plan(preset, format);
            REQUIRE(plan);
            const auto rendition = render(photo.bytes, *plan, kLimits, Deadline::after(60s));
            REQUIRE(rendition);
            CHECK(rendition->budget_met);
            CHECK(rendition->bytes.size() <= preset.max_bytes);
            CHECK(sniff_format(rendition->bytes) == format);
        }
    }
}

TEST_CASE("the chosen quality is within 2 of the best that fits, and never under 80 where 80 fits",
          "[pipeline][budget][corpus]") {
    test::ensure_vips();
    const auto config = config::builtin_config();
    const auto& detail = *std::find_if(config.presets.begin(), config.presets.end(),
                                       [](const auto& p) { return p.name == "detail"; });
    for (const auto& photo : photos()) {
        for (auto format : {ImageFormat::Jpeg, ImageFormat::Webp}) {
            CAPTURE(photo.name, format_name(format));
            const auto plan = make_plan(detail, format);
            REQUIRE(plan);
            const auto rendition = render(photo.bytes, *plan, kLimits, Deadline::after(60s));
            REQUIRE(rendition);
            if (rendition->shrunk) {
                continue;  // nothing in range fitted at full size; the fallback is tested alone
            }
            const auto info = probe(photo.bytes, kLimits);
            REQUIRE(info);
            const DeadlineGuard guard(Deadline::after(60s));
            const auto pixels = transform(photo.bytes, *info, *plan, guard);
            REQUIRE(pixels);
            const int best = best_quality(pixels->pixels, format, plan->budget);
            CHECK(rendition->quality <= best);
            CHECK(rendition->quality >= best - 2);
            // Where 80 fits, the imgproxy/imagor max_bytes rule stops there at once: never less.
            if (best >= 80) {
                CHECK(rendition->quality >= 80);
            }
        }
    }
}

TEST_CASE("quality never rises when the budget shrinks", "[pipeline][budget][corpus]") {
    test::ensure_vips();
    config::PresetConfig preset;
    preset.name = "detail";
    preset.width = 1600;
    preset.height = 1600;
    preset.formats = {"jpeg", "webp"};
    for (const char* name : {"mate__Dune.jpg", "plasma__Kite_2560x1600.jpg",
                             "squoosh__demo-large-photo.jpg", "bimg__test.heic"}) {
        const std::string bytes = test::read_bytes(test::data_dir() / "corpus" / name);
        for (auto format : {ImageFormat::Jpeg, ImageFormat::Webp}) {
            int previous = 101;
            for (std::uint64_t kib : {400, 250, 150, 90, 55}) {
                CAPTURE(name, format_name(format), kib);
                preset.max_bytes = kib * 1024;
                const auto plan = make_plan(preset, format);
                REQUIRE(plan);
                const auto rendition = render(bytes, *plan, kLimits, Deadline::after(60s));
                REQUIRE(rendition);
                CHECK(rendition->bytes.size() <= preset.max_bytes);
                CHECK(rendition->quality <= previous);
                previous = rendition->quality;
            }
        }
    }
}
