// bench/budget: imgline's byte-budget search against the best possible quality (bisection) and
// the imgproxy/imagor max_bytes rule, over tests/data/corpus, plus the render time of a 12 MP
// JPEG against one plain libvips thumbnail + JPEG save. See bench/README.md.
#include "bench/bench_files.h"
#include "bench/ssim.h"
#include "config/config.h"
#include "pipeline/budget.h"
#include "pipeline/encode.h"
#include "pipeline/probe.h"
#include "pipeline/render.h"
#include "pipeline/size_proxy.h"
#include "pipeline/transform.h"
#include "pipeline/vips_runtime.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace imgline;
using namespace imgline::pipeline;
using vips::VImage;
using Clock = std::chrono::steady_clock;

namespace {

using bench::median;
using bench::read_file;

std::vector<std::string> corpus_files(const std::filesystem::path& dir) {
    std::ifstream manifest(dir / "MANIFEST.tsv");
    std::vector<std::string> files;
    std::string line;
    std::getline(manifest, line);  // header
    while (std::getline(manifest, line)) {
        files.push_back(line.substr(0, line.find('\t')));
    }
    return files;
}

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

VImage decode(const std::string& bytes) {
    return VImage::new_from_buffer(bytes.data(), bytes.size(), "");
}

// The best integer quality that fits, by bisection (the oracle).
int best_quality(const VImage& pixels, ImageFormat format, const Budget& budget) {
    int low = budget.quality_min;
    int high = budget.quality_max;
    int best = 0;
    while (low <= high) {
        const int middle = (low + high) / 2;
        if (encode(pixels, {format, middle, false})->size() <= budget.max_bytes) {
            best = middle;
            low = middle + 1;
        } else {
            high = middle - 1;
        }
    }
    return best;
}

// imgproxy's (and imagor's) max_bytes rule: start at 80 and multiply the quality by 0.25, 0.5
// or 0.75 by how far over the budget the last encode was, until it fits or reaches 10.
struct RuleResult {
    int quality = 0;
    int encodes = 0;
    std::string bytes;
};

RuleResult imgproxy_rule(const VImage& pixels, ImageFormat format, std::uint64_t max_bytes) {
    RuleResult result{80, 0, {}};
    while (true) {
        result.bytes = *encode(pixels, {format, result.quality, false});
        ++result.encodes;
        if (result.bytes.size() <= max_bytes || result.quality <= 10) {
            return result;
        }
        const double over = static_cast<double>(result.bytes.size()) / max_bytes;
        const double factor = over > 3 ? 0.25 : over > 1.5 ? 0.5 : 0.75;
        result.quality = std::max(10, static_cast<int>(result.quality * factor));
    }
}

const config::PresetConfig& preset_named(const config::Config& config, const std::string& name) {
    for (const auto& preset : config.presets) {
        if (preset.name == name) {
            return preset;
        }
    }
    std::fprintf(stderr, "no preset %s\n", name.c_str());
    std::exit(2);
}

void print_curves(const std::filesystem::path& dir, const config::Config& config) {
    std::printf("file\tpreset\tformat\twidth\theight\tcomplexity");
    for (int q = 30; q <= 95; q += 5) {
        std::printf("\tq%d", q);
    }
    std::printf("\n");
    for (const auto& name : corpus_files(dir)) {
        const std::string bytes = read_file(dir / name);
        const auto info = probe(bytes, config.limits);
        for (const auto& preset : config.presets) {
            for (auto format : {ImageFormat::Jpeg, ImageFormat::Webp}) {
                auto plan = make_plan(preset, format);
                const DeadlineGuard guard(Deadline::after(std::chrono::minutes(1)));
                auto transformed = transform(bytes, *info, *plan, guard);
                const VImage* pixels = &transformed->pixels;
                std::printf("%s\t%s\t%s\t%d\t%d\t%.3f", name.c_str(), preset.name.c_str(),
                            std::string(format_name(format)).c_str(), pixels->width(),
                            pixels->height(), complexity_of(*pixels));
                for (int q = 30; q <= 95; q += 5) {
                    std::printf("\t%zu", encode(*pixels, {format, q, false})->size());
                }
                std::printf("\n");
                std::fflush(stdout);
            }
        }
    }
}

// How well the size proxy (pipeline/size_proxy) stands in for each image: its encoded size
// times its area ratio over the image's own, at three qualities; budget.cpp divides by the
// median over the corpus.
void print_proxy_fit(const std::filesystem::path& dir,
                     const config::Config& config,
                     const config::PresetConfig& preset,
                     ImageFormat format) {
    const auto plan = *make_plan(preset, format);
    const std::array<int, 3> qualities{50, 70, 90};
    std::printf("## Size proxy against the image, %s preset, %s\n\n", preset.name.c_str(),
                std::string(format_name(format)).c_str());
    std::printf(
        "| image | pixels | proxy pixels | q50 | q70 | q90 | ms image / proxy at q80 |\n"
        "|---|---|---|---|---|---|---|\n");
    std::vector<double> ratios;
    std::vector<double> speedups;
    for (const auto& name : corpus_files(dir)) {
        const std::string bytes = read_file(dir / name);
        const auto info = probe(bytes, config.limits);
        const DeadlineGuard guard(Deadline::after(std::chrono::minutes(1)));
        const VImage pixels = transform(bytes, *info, plan, guard)->pixels;
        const auto proxy = make_size_proxy(pixels);
        if (!proxy) {
            std::printf("| %s | %dx%d | (too small for a proxy) | | | | |\n", name.c_str(),
                        pixels.width(), pixels.height());
            continue;
        }
        std::printf("| %s | %dx%d | %dx%d |", name.c_str(), pixels.width(), pixels.height(),
                    proxy->mosaic.width(), proxy->mosaic.height());
        for (int quality : qualities) {
            const auto whole = encode(pixels, {format, quality, false})->size();
            const auto part = encode(proxy->mosaic, {format, quality, false})->size();
            const double ratio =
                static_cast<double>(part) * proxy->area_ratio / static_cast<double>(whole);
            std::printf(" %.3f |", ratio);
            if (quality >= 70) {
                ratios.push_back(ratio);
            }
        }
        auto started = Clock::now();
        (void)encode(pixels, {format, 80, false});
        const double whole_ms = ms_since(started);
        started = Clock::now();
        (void)encode(proxy->mosaic, {format, 80, false});
        const double part_ms = ms_since(started);
        speedups.push_back(whole_ms / part_ms);
        std::printf(" %.1f / %.1f |\n", whole_ms, part_ms);
    }
    std::printf(
        "\n**Proxy bytes × area ratio / image bytes at q70 and q90: median %.3f** "
        "(min %.3f, max %.3f); a proxy encode is %.1f× faster than the image's "
        "(median).\n\n",
        median(ratios), *std::min_element(ratios.begin(), ratios.end()),
        *std::max_element(ratios.begin(), ratios.end()), median(speedups));
}

void compare_searches(const std::filesystem::path& dir,
                      const config::Config& config,
                      const config::PresetConfig& preset,
                      ImageFormat format) {
    const auto plan = *make_plan(preset, format);
    std::printf("## %s preset (%dx%d %s, budget %llu bytes, quality %d-%d), %s\n\n",
                preset.name.c_str(), plan.width, plan.height, preset.fit.c_str(),
                static_cast<unsigned long long>(plan.budget.max_bytes), plan.budget.quality_min,
                plan.budget.quality_max, std::string(format_name(format)).c_str());
    std::printf(
        "| image | imgline bytes | q | encodes | proxy encodes | ms | best q | imgproxy rule q "
        "| encodes | SSIM imgline | SSIM rule |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    int images = 0;
    int our_encodes = 0;
    int proxy_encodes = 0;
    int rule_encodes = 0;
    int not_worse = 0;
    int within_two = 0;
    double our_ssim = 0;
    double rule_ssim = 0;
    for (const auto& name : corpus_files(dir)) {
        const std::string bytes = read_file(dir / name);
        const auto started = Clock::now();
        const auto rendition =
            render(bytes, plan, config.limits, Deadline::after(std::chrono::minutes(1)));
        const double ms = ms_since(started);
        if (!rendition) {
            std::printf("| %s | failed: %s |\n", name.c_str(),
                        rendition.error().public_message.c_str());
            continue;
        }
        const auto info = probe(bytes, config.limits);
        const DeadlineGuard guard(Deadline::after(std::chrono::minutes(1)));
        const VImage pixels = transform(bytes, *info, plan, guard)->pixels;
        // The oracle's best quality at full size (0: nothing in range fits without shrinking).
        const int best = best_quality(pixels, format, plan.budget);
        const auto rule = imgproxy_rule(pixels, format, plan.budget.max_bytes);
        // A shrunk rendition is compared with the full-size pixels resized to exactly its size.
        const VImage our_pixels = decode(rendition->bytes);
        const VImage our_reference =
            our_pixels.width() == pixels.width() && our_pixels.height() == pixels.height()
                ? pixels
                : pixels.resize(
                      static_cast<double>(our_pixels.width()) / pixels.width(),
                      VImage::option()->set(
                          "vscale", static_cast<double>(our_pixels.height()) / pixels.height()));
        const double ours = bench::ssim(our_reference, our_pixels);
        const double theirs = bench::ssim(pixels, decode(rule.bytes));
        std::printf("| %s | %zu | %d | %d | %d | %.0f | %d | %d | %d | %.4f | %.4f |\n",
                    name.c_str(), rendition->bytes.size(), rendition->quality, rendition->encodes,
                    rendition->proxy_encodes, ms, best, rule.quality, rule.encodes, ours, theirs);
        ++images;
        our_encodes += rendition->encodes;
        proxy_encodes += rendition->proxy_encodes;
        rule_encodes += rule.encodes;
        not_worse += rendition->quality >= rule.quality ? 1 : 0;
        within_two += (best == 0 || rendition->quality >= best - 2) ? 1 : 0;
        our_ssim += ours;
        rule_ssim += theirs;
    }
    std::printf(
        "\n**Totals over %d images:** mean encodes imgline %.2f (and %.2f of its size proxy, "
        "about a tenth of the pixels each) vs imgproxy rule %.2f; "
        "imgline quality ≥ the rule's on %d/%d; within 2 of the best quality on %d/%d; "
        "mean SSIM imgline %.4f vs rule %.4f.\n\n",
        images, static_cast<double>(our_encodes) / images,
        static_cast<double>(proxy_encodes) / images, static_cast<double>(rule_encodes) / images,
        not_worse, images, within_two, images, our_ssim / images, rule_ssim / images);
}

void compare_time(const std::filesystem::path& file,
                  const config::Config& config,
                  const config::PresetConfig& preset,
                  int repeats) {
    const std::string bytes = read_file(file);
    const auto plan = *make_plan(preset, ImageFormat::Jpeg);
    std::vector<double> ours;
    std::vector<double> reference;
    std::size_t our_bytes = 0;
    std::size_t reference_bytes = 0;
    for (int i = 0; i < repeats; ++i) {
        auto started = Clock::now();
        const auto rendition =
            render(bytes, plan, config.limits, Deadline::after(std::chrono::minutes(1)));
        ours.push_back(ms_since(started));
        our_bytes = rendition->bytes.size();

        started = Clock::now();
        VipsBlob* blob = vips_blob_new(nullptr, bytes.data(), bytes.size());
        const VImage thumb = VImage::thumbnail_buffer(
            blob, plan.width,
            VImage::option()->set("height", plan.height)->set("size", VIPS_SIZE_DOWN));
        VipsBlob* saved = thumb.jpegsave_buffer(VImage::option()->set("Q", 80)->set("strip", true));
        reference.push_back(ms_since(started));
        std::size_t length = 0;
        vips_blob_get(saved, &length);
        reference_bytes = length;
        vips_area_unref(VIPS_AREA(saved));
        vips_area_unref(VIPS_AREA(blob));
    }
    // Where the time goes: the stages of one render, and the two kinds of JPEG save.
    const auto info = probe(bytes, config.limits);
    std::vector<double> transform_ms;
    std::vector<double> progressive_ms;
    std::vector<double> baseline_ms;
    for (int i = 0; i < repeats; ++i) {
        auto started = Clock::now();
        const DeadlineGuard guard(Deadline::after(std::chrono::minutes(1)));
        const VImage pixels = transform(bytes, *info, plan, guard)->pixels;
        transform_ms.push_back(ms_since(started));
        started = Clock::now();
        (void)encode(pixels, {ImageFormat::Jpeg, 80, false});
        progressive_ms.push_back(ms_since(started));
        started = Clock::now();
        vips_area_unref(
            VIPS_AREA(pixels.jpegsave_buffer(VImage::option()->set("Q", 80)->set("strip", true))));
        baseline_ms.push_back(ms_since(started));
    }
    const double ours_ms = median(ours);
    const double reference_ms = median(reference);
    std::printf("## Render time, %s → %s JPEG (median of %d)\n\n", file.filename().c_str(),
                preset.name.c_str(), repeats);
    std::printf("| | ms | bytes |\n|---|---|---|\n");
    std::printf("| imgline render under the %llu-byte budget | %.1f | %zu |\n",
                static_cast<unsigned long long>(plan.budget.max_bytes), ours_ms, our_bytes);
    std::printf("| libvips thumbnail + jpegsave Q80 (reference) | %.1f | %zu |\n", reference_ms,
                reference_bytes);
    std::printf("\n**Ratio imgline / reference: %.2f** (target ≤ 1.35)\n\n",
                ours_ms / reference_ms);
    std::printf("| stage (median of %d) | ms |\n|---|---|\n", repeats);
    std::printf(
        "| imgline transform: decode with shrink-on-load, upright, sRGB, resize, in memory | %.1f "
        "|\n",
        median(transform_ms));
    std::printf("| one imgline JPEG encode (progressive, optimised Huffman) at Q80 | %.1f |\n",
                median(progressive_ms));
    std::printf("| one plain libvips jpegsave Q80 (baseline, as the reference) | %.1f |\n\n",
                median(baseline_ms));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(
            stderr,
            "usage: bench_budget CORPUS_DIR [--curves | --proxy] [--preset NAME] [--format F] "
            "[--repeat N]\n");
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::string preset_name = "detail";
    std::string format_text = "jpeg";
    int repeats = 7;
    bool curves = false;
    bool proxy = false;
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--curves") {
            curves = true;
        } else if (arg == "--proxy") {
            proxy = true;
        } else if (arg == "--preset" && i + 1 < argc) {
            preset_name = argv[++i];
        } else if (arg == "--format" && i + 1 < argc) {
            format_text = argv[++i];
        } else if (arg == "--repeat" && i + 1 < argc) {
            repeats = std::max(1, std::atoi(argv[++i]));
        }
    }
    if (!start_vips(argv[0], 2)) {
        return 1;
    }
    const auto config = config::builtin_config();
    if (curves) {
        print_curves(dir, config);
        return 0;
    }
    const auto& preset = preset_named(config, preset_name);
    const auto format = parse_format_name(format_text).value_or(ImageFormat::Jpeg);
    if (proxy) {
        print_proxy_fit(dir, config, preset, format);
        return 0;
    }
    compare_searches(dir, config, preset, format);
    compare_time(dir / "bimg__test_exif_full.jpg", config, preset, repeats);
    stop_vips();
    return 0;
}
