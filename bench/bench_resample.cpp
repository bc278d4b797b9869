// bench/resample: the resize step of a render that shares the cores, for every corpus JPEG:
// the photo decoded with shrink-on-load (as a render does), then resized to fit WIDTH px and
// turned upright. Medians of REPEATS, in ms, on one thread:
//   - pipeline::resized_upright (vertical passes over whole rows, a transpose between);
//   - libvips' thumbnail_image of the same decoded pixels (what the render used before), forced
//     to the same size, with its autorot;
// and how far ours lands from libvips' (largest and mean difference, in 8-bit levels).
// Usage: bench/resample [CORPUS DIR] [WIDTH, default 800] [REPEATS, default 15]
#include "bench/bench_files.h"
#include "pipeline/resample.h"
#include "pipeline/vips_runtime.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <vips/vips8>

using imgline::bench::median_ms;
using vips::VImage;

int main(int argc, char** argv) {
    const std::filesystem::path corpus = argc > 1 ? argv[1] : "tests/data/corpus";
    const int width = argc > 2 ? std::atoi(argv[2]) : 800;
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 15;
    if (!imgline::pipeline::start_vips(argv[0], 1)) {
        return 1;
    }
    std::printf(
        "| photo | decoded | orientation | result | imgline ms | libvips ms | imgline / "
        "libvips | largest difference | mean difference |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|\n");
    const auto photos = imgline::bench::files_in(corpus, ".jpg");
    double ours_total = 0;
    double theirs_total = 0;
    for (const auto& path : photos) {
        VImage header;
        try {
            header = VImage::new_from_file(path.c_str());
        } catch (const vips::VError&) {
            continue;
        }
        if (header.bands() != 3 || header.format() != VIPS_FORMAT_UCHAR) {
            continue;  // CMYK and grey go other ways
        }
        const int orientation = header.get_typeof(VIPS_META_ORIENTATION) != 0
                                    ? header.get_int(VIPS_META_ORIENTATION)
                                    : 1;
        const bool swaps = orientation >= 5 && orientation <= 8;
        const int upright_width = swaps ? header.height() : header.width();
        const int upright_height = swaps ? header.width() : header.height();
        const double scale = static_cast<double>(width) / std::max(upright_width, upright_height);
        if (scale >= 1.0) {
            continue;
        }
        int shrink = 1;
        for (const int candidate : {8, 4, 2}) {
            if (scale * candidate * 1.2 <= 1.0) {
                shrink = candidate;
                break;
            }
        }
        const VImage decoded =
            VImage::jpegload(path.c_str(), VImage::option()->set("shrink", shrink)).copy_memory();
        const int out_width = std::max(1, static_cast<int>(std::lround(upright_width * scale)));
        const int out_height = std::max(1, static_cast<int>(std::lround(upright_height * scale)));
        const auto samples = static_cast<std::size_t>(decoded.width()) * decoded.height() * 3;
        const std::span<const std::uint8_t> in(static_cast<const std::uint8_t*>(decoded.data()),
                                               samples);
        imgline::pipeline::DecodedPixels ours;
        const double ours_ms = median_ms(repeats, [&] {
            ours = imgline::pipeline::resized_upright(in, decoded.width(), decoded.height(), 3,
                                                      out_width, out_height, orientation);
        });
        VImage theirs;
        const double theirs_ms = median_ms(repeats, [&] {
            theirs =
                decoded
                    .thumbnail_image(
                        out_width,
                        VImage::option()->set("height", out_height)->set("size", VIPS_SIZE_FORCE))
                    .copy_memory();
        });
        if (theirs.width() != out_width || theirs.height() != out_height) {
            std::printf("| %s | sizes differ: libvips %dx%d |\n", path.filename().c_str(),
                        theirs.width(), theirs.height());
            continue;
        }
        const auto* reference = static_cast<const std::uint8_t*>(theirs.data());
        int largest = 0;
        double total = 0;
        for (std::size_t i = 0; i < ours.samples.size(); ++i) {
            const int difference = std::abs(ours.samples[i] - reference[i]);
            largest = std::max(largest, difference);
            total += difference;
        }
        ours_total += ours_ms;
        theirs_total += theirs_ms;
        std::printf("| %s | %dx%d | %d | %dx%d | %.2f | %.2f | %.2f | %d | %.3f |\n",
                    path.filename().c_str(), decoded.width(), decoded.height(), orientation,
                    out_width, out_height, ours_ms, theirs_ms, ours_ms / theirs_ms, largest,
                    total / static_cast<double>(ours.samples.size()));
    }
    std::printf("| **all** | | | | %.1f | %.1f | **%.2f** | | |\n", ours_total, theirs_total,
                ours_total / theirs_total);
    imgline::pipeline::stop_vips();
    return 0;
}
