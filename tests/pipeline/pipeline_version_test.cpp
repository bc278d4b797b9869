// Cache correctness across upgrades: renditions are strong-ETagged and immutable for a year
// under a key that holds cdn::kPipelineVersion, so any change to the pixels the pipeline makes
// must come with a new version. This renders fixed inputs per format and compares the SHA-256
// of the decoded pixels with the table next to the version (cdn/pipeline_version.h).
#include "cdn/pipeline_version.h"

#include "common/sha256.h"
#include "pipeline/render.h"
#include "tests/support/corpus.h"

#include <iostream>
#include <map>
#include <sstream>

#include <catch2/catch.hpp>
#include <vips/vips8>

using namespace imgline;
using namespace imgline::pipeline;
using namespace std::chrono_literals;

namespace {

std::string decoded_pixels_sha256(const std::string& bytes) {
    const auto image =
        vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "").cast(VIPS_FORMAT_UCHAR);
    std::size_t size = 0;
    void* pixels = image.write_to_memory(&size);
    const std::string hash = sha256_hex(std::string_view(static_cast<const char*>(pixels), size));
    g_free(pixels);
    return std::to_string(image.width()) + "x" + std::to_string(image.height()) + "x" +
           std::to_string(image.bands()) + ":" + hash;
}

}  // namespace

TEST_CASE("the pipeline's pixels match the table of kPipelineVersion", "[pipeline][version]") {
    test::ensure_vips();

    struct Input {
        std::string name;
        std::string file;
    };

    const Input inputs[] = {{"photo", "mate__Blinds.jpg"}, {"cutout", "rembg__car-2.out.png"}};

    struct Shape {
        std::string name;
        Fit fit;
        int width;
        int height;
    };

    const Shape shapes[] = {{"fit320", Fit::Fit, 320, 320}, {"fill200", Fit::Fill, 200, 200}};
    const ImageFormat formats[] = {ImageFormat::Jpeg, ImageFormat::Webp, ImageFormat::Png,
                                   ImageFormat::Avif};
    std::map<std::string, std::string> made;
    for (const auto& input : inputs) {
        const std::string original = test::read_bytes(test::data_dir() / "corpus" / input.file);
        for (const auto& shape : shapes) {
            for (const auto format : formats) {
                RenderPlan plan;
                plan.fit = shape.fit;
                plan.width = shape.width;
                plan.height = shape.height;
                plan.format = format;
                plan.budget = Budget{60 * 1024, 50, 90};
                const auto rendition =
                    render(original, plan, config::LimitsConfig{}, Deadline::after(60s));
                REQUIRE(rendition);
                made[input.name + "/" + shape.name + "/" + std::string(format_name(format))] =
                    decoded_pixels_sha256(rendition->bytes);
            }
        }
    }
    std::map<std::string, std::string> table;
    for (const auto& entry : cdn::kPipelineOutputs) {
        table[std::string(entry.render)] = std::string(entry.pixels);
    }
    if (made != table) {
        std::ostringstream fresh;
        for (const auto& [render, hash] : made) {
            fresh << "    {\"" << render << "\", \"" << hash << "\"},\n";
        }
        std::cerr << "kPipelineOutputs for the pipeline as it is now:\n" << fresh.str();
        FAIL(
            "the pipeline's output changed: bump kPipelineVersion in cdn/pipeline_version.h "
            "and replace kPipelineOutputs with the table printed above");
    }
}
