// The brand-check benchmark: for every photo of a folder, the time of a brand measurement split
// into its decode (shrink-on-load to 1024 px, the part any check must pay) and the measures on
// the decoded pixels, and the sharpness of the photo next to the same
// photo blurred (Gaussian σ 2 at 1024 px), which is what the default sharpness_min is
// calibrated on. Prints Markdown tables.
#include "bench/bench_files.h"
#include "config/config.h"
#include "pipeline/brand_measure.h"
#include "pipeline/brand_pixels.h"
#include "pipeline/probe.h"
#include "pipeline/vips_runtime.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <vips/vips8>

using namespace imgline;
using vips::VImage;
namespace fs = std::filesystem;

namespace {

constexpr int kRepeat = 5;

template <class Work>
double median_ms(Work&& work) {
    std::vector<double> times;
    for (int i = 0; i < kRepeat; ++i) {
        const auto started = std::chrono::steady_clock::now();
        work();
        times.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

std::string blurred_copy(const std::string& bytes) {
    VipsBlob* blob = vips_blob_new(nullptr, bytes.data(), bytes.size());
    const VImage image =
        VImage::thumbnail_buffer(blob, pipeline::kAnalysisSide,
                                 VImage::option()->set("height", pipeline::kAnalysisSide))
            .colourspace(VIPS_INTERPRETATION_sRGB);
    vips_area_unref(VIPS_AREA(blob));
    const VImage flat = image.has_alpha() ? image.flatten() : image;
    VipsBlob* out =
        flat.gaussblur(2.0).cast(VIPS_FORMAT_UCHAR).jpegsave_buffer(VImage::option()->set("Q", 90));
    std::string result(static_cast<const char*>(VIPS_AREA(out)->data), VIPS_AREA(out)->length);
    vips_area_unref(VIPS_AREA(out));
    return result;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_brand FOLDER\n");
        return 2;
    }
    if (!pipeline::start_vips(argv[0], 1)) {
        return 1;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(argv[1])) {
        files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    const config::LimitsConfig limits;
    const pipeline::MeasureSpec spec{config::Rgb{255, 255, 255}, 6.0};

    std::printf(
        "| image | pixels | decode ms | measure ms | measures only ms | sharpness | "
        "blurred σ2 |\n|---|---|---|---|---|---|---|\n");
    double worst_only = 0.0;
    double lowest_sharp = 1e18;
    double highest_blurred = 0.0;
    for (const auto& path : files) {
        const std::string bytes = bench::read_file(path);
        const auto info = pipeline::probe(bytes, limits);
        if (!info) {
            continue;  // not an image (MANIFEST.tsv, LICENSES.md)
        }
        const auto deadline = [] { return Deadline::after(std::chrono::minutes(1)); };
        auto measured = pipeline::measure_brand(bytes, *info, spec, deadline());
        if (!measured) {
            std::printf("| %s | error: %s |\n", path.filename().c_str(),
                        measured.error().public_message.c_str());
            continue;
        }
        const pipeline::DeadlineGuard guard(deadline());
        bool transparent = false;
        VImage decoded;
        const double decode = median_ms([&] {
            decoded = pipeline::decode_for_measure(bytes, *info, spec, guard, transparent);
        });
        const double measures = median_ms([&] {
            pipeline::BrandMeasurements scratch;
            pipeline::measure_pixels(decoded, spec, scratch);
        });
        const double measure = decode + measures;
        const std::string soft = blurred_copy(bytes);
        const auto soft_info = pipeline::probe(soft, limits);
        const double soft_sharpness =
            pipeline::measure_brand(soft, *soft_info, spec, deadline())->sharpness;
        std::printf("| %s | %.1f MP | %.1f | %.1f | %.1f | %.1f | %.1f |\n",
                    path.filename().c_str(), info->width * double(info->height) / 1e6, decode,
                    measure, measures, measured->sharpness, soft_sharpness);
        worst_only = std::max(worst_only, measures);
        lowest_sharp = std::min(lowest_sharp, measured->sharpness);
        highest_blurred = std::max(highest_blurred, soft_sharpness);
    }
    std::printf("\nslowest measures after decode: %.1f ms (target: well under 100 ms)\n",
                worst_only);
    std::printf("sharpness: lowest original %.1f, highest blurred (σ 2) %.1f\n", lowest_sharp,
                highest_blurred);
    pipeline::stop_vips();
    return 0;
}
