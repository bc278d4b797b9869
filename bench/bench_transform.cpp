// bench/transform's in-process half and its report. One job for every tool: auto-orient, sRGB,
// fit inside 800x800 (never enlarge), strip metadata, JPEG quality 80 (or WebP quality 80 with
// transparency kept).
//
//   bench_transform run CORPUS_DIR OUT_DIR [REPEATS] [jpeg|webp]
//       times imgline's render and the floor (one libvips thumbnail + save) per photo, median
//       of REPEATS; writes OUT_DIR/{imgline,vips}/NAME.jpg (.webp) and OUT_DIR/{imgline,vips}.tsv
//   bench_transform report CORPUS_DIR OUT_DIR [--webp] TOOL...
//       reads OUT_DIR/TOOL.tsv (photo, ms) and OUT_DIR/TOOL/NAME.jpg (.webp) for every tool,
//       checks each output against a colour-managed reference (upright? sRGB?) and prints
//       Markdown tables.
#include "bench/bench_files.h"
#include "config/config.h"
#include "pipeline/render.h"
#include "pipeline/vips_runtime.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <vips/vips8>

using namespace imgline;
using vips::VImage;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using bench::median;
using bench::read_file;
using bench::write_file;

namespace {

constexpr int kBox = 800;
constexpr int kQuality = 80;

// The output format of the job: JPEG, or WebP with transparency kept.
bool webp_job = false;

std::string output_extension() {
    return webp_job ? ".webp" : ".jpg";
}

// Above this mean-colour distance from the colour-managed reference, an output is not sRGB
// (profile ignored or dropped, or transparency flattened onto black).
constexpr double kColourTolerance = 2.0;

std::vector<std::string> photos_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const auto ext = entry.path().extension().string();
        if (ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".webp" || ext == ".heic" ||
            ext == ".gif") {
            names.push_back(entry.path().filename().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

double ms_since(Clock::time_point started) {
    return std::chrono::duration<double, std::milli>(Clock::now() - started).count();
}

// The job as an imgline preset: no byte budget to search, a fixed quality.
pipeline::RenderPlan job_plan() {
    config::PresetConfig preset;
    preset.name = "job";
    preset.width = kBox;
    preset.height = kBox;
    preset.fit = config::FitMode::Fit;
    preset.formats = {webp_job ? "webp" : "jpeg"};
    preset.max_bytes = 64ULL << 20;
    preset.quality_min = kQuality;
    preset.quality_max = kQuality;
    return *pipeline::make_plan(
        preset, webp_job ? pipeline::ImageFormat::Webp : pipeline::ImageFormat::Jpeg);
}

std::string imgline_render(const std::string& original,
                           const pipeline::RenderPlan& plan,
                           const config::LimitsConfig& limits) {
    auto rendition =
        pipeline::render(original, plan, limits, Deadline::after(std::chrono::minutes(1)));
    return rendition ? rendition->bytes : std::string();
}

// The floor: what one libvips call pair costs for the same job, with nothing else around it.
std::string vips_floor(const std::string& original) {
    const VImage thumb = VImage::thumbnail_buffer(
        vips_blob_new(nullptr, original.data(), original.size()), kBox,
        VImage::option()->set("height", kBox)->set("size", VIPS_SIZE_DOWN));
    auto* options = VImage::option()->set("Q", kQuality)->set("strip", true);
    VipsBlob* saved = webp_job ? thumb.webpsave_buffer(options) : thumb.jpegsave_buffer(options);
    std::string bytes(static_cast<const char*>(VIPS_AREA(saved)->data), VIPS_AREA(saved)->length);
    vips_area_unref(VIPS_AREA(saved));
    return bytes;
}

int run(const fs::path& corpus, const fs::path& out, int repeats) {
    const auto config = config::builtin_config();
    const auto plan = job_plan();
    fs::create_directories(out / "imgline");
    fs::create_directories(out / "vips");
    std::ofstream ours_times(out / "imgline.tsv");
    std::ofstream floor_times(out / "vips.tsv");
    for (const auto& name : photos_in(corpus)) {
        const std::string original = read_file(corpus / name);
        std::vector<double> ours;
        std::vector<double> floor;
        std::string ours_bytes;
        std::string floor_bytes;
        for (int i = 0; i < repeats; ++i) {
            auto started = Clock::now();
            ours_bytes = imgline_render(original, plan, config.limits);
            ours.push_back(ms_since(started));
            started = Clock::now();
            try {
                floor_bytes = vips_floor(original);
            } catch (const vips::VError&) {
                floor_bytes.clear();
            }
            floor.push_back(ms_since(started));
            pipeline::release_thread_resources();
        }
        const std::string stem = fs::path(name).stem().string();
        if (!ours_bytes.empty()) {
            write_file(out / "imgline" / (stem + output_extension()), ours_bytes);
            ours_times << name << '\t' << median(ours) << '\n';
        }
        if (!floor_bytes.empty()) {
            write_file(out / "vips" / (stem + output_extension()), floor_bytes);
            floor_times << name << '\t' << median(floor) << '\n';
        }
        std::fprintf(stderr, ".");
    }
    std::fprintf(stderr, "\n");
    return 0;
}

std::map<std::string, double> read_times(const fs::path& tsv) {
    std::map<std::string, double> times;
    std::ifstream in(tsv);
    std::string name;
    double ms = 0;
    while (in >> name >> ms) {
        times[name] = ms;
    }
    return times;
}

VImage flattened_srgb(VImage image) {
    if (image.interpretation() == VIPS_INTERPRETATION_CMYK) {
        image = image.icc_import(VImage::option()->set("input_profile", "cmyk"));
    }
    image = image.colourspace(VIPS_INTERPRETATION_sRGB);
    if (image.has_alpha()) {
        image =
            image.flatten(VImage::option()->set("background", std::vector<double>{255, 255, 255}));
    }
    return image.copy_memory();  // read three times below; a sequential load allows one
}

// Mean colour in Lab of pixels taken as sRGB, whatever profile the file carries.
std::array<double, 3> mean_lab(const VImage& srgb) {
    const VImage lab = srgb.copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB))
                           .colourspace(VIPS_INTERPRETATION_LAB);
    return {lab.extract_band(0).avg(), lab.extract_band(1).avg(), lab.extract_band(2).avg()};
}

struct Verdict {
    bool upright = false;
    double delta_e = 0;
};

// The reference: libvips upright and colour-managed into sRGB, transparency on white.
struct Reference {
    int width = 0;
    int height = 0;
    std::array<double, 3> lab{};
};

Reference reference_for(const fs::path& original) {
    // Decoded whole, colour-managed with the file's own profile (a generic one for CMYK or
    // sRGB without), turned upright, then reduced.
    VImage image = VImage::new_from_file(original.c_str(),
                                         VImage::option()->set("access", VIPS_ACCESS_RANDOM));
    const bool cmyk = image.interpretation() == VIPS_INTERPRETATION_CMYK;
    if (cmyk || image.get_typeof(VIPS_META_ICC_NAME) != 0) {
        image = image.icc_transform(
            "srgb",
            VImage::option()->set("embedded", true)->set("input_profile", cmyk ? "cmyk" : "srgb"));
    }
    const VImage thumb = flattened_srgb(image.autorot().thumbnail_image(
        kBox, VImage::option()->set("height", kBox)->set("size", VIPS_SIZE_DOWN)));
    return {thumb.width(), thumb.height(), mean_lab(thumb)};
}

Verdict check(const Reference& reference, const fs::path& output) {
    const VImage out = flattened_srgb(VImage::new_from_file(output.c_str()));
    Verdict verdict;
    const double reference_aspect = double(reference.width) / reference.height;
    const double aspect = double(out.width()) / out.height();
    // Square-ish images look the same either way; otherwise the long side must match.
    verdict.upright =
        std::abs(std::log(reference_aspect)) < 0.03 || (reference_aspect > 1) == (aspect > 1);
    const auto lab = mean_lab(out);
    verdict.delta_e =
        std::sqrt(std::pow(lab[0] - reference.lab[0], 2) + std::pow(lab[1] - reference.lab[1], 2) +
                  std::pow(lab[2] - reference.lab[2], 2));
    return verdict;
}

int report(const fs::path& corpus, const fs::path& out, const std::vector<std::string>& tools) {
    std::vector<std::map<std::string, double>> times;
    for (const auto& tool : tools) {
        times.push_back(read_times(out / (tool + ".tsv")));
    }
    std::printf("| photo | MP |");
    for (const auto& tool : tools) {
        std::printf(" %s ms |", tool.c_str());
    }
    std::printf("\n|---|---|");
    for (std::size_t i = 0; i < tools.size(); ++i) {
        std::printf("---|");
    }
    std::printf("\n");
    // Totals count only the photos every tool rendered, so no tool is faster for failing one.
    std::vector<double> total(tools.size(), 0.0);
    int common = 0;
    std::vector<int> missing(tools.size(), 0);
    std::vector<int> sideways(tools.size(), 0);
    std::vector<int> off_colour(tools.size(), 0);
    std::vector<std::string> problems(tools.size());
    int photos = 0;
    for (const auto& name : photos_in(corpus)) {
        const std::string stem = fs::path(name).stem().string();
        Reference reference;
        try {
            reference = reference_for(corpus / name);
        } catch (const vips::VError& error) {
            std::fprintf(stderr, "%s: no reference: %s\n", name.c_str(), error.what());
            continue;  // nothing to compare with
        }
        const VImage header = VImage::new_from_file((corpus / name).c_str());
        std::printf("| %s | %.1f |", name.c_str(), header.width() * double(header.height()) / 1e6);
        ++photos;
        const bool everyone = std::all_of(times.begin(), times.end(),
                                          [&](const auto& tool) { return tool.count(name) == 1; });
        common += everyone ? 1 : 0;
        for (std::size_t t = 0; t < tools.size(); ++t) {
            const auto found = times[t].find(name);
            const fs::path output = out / tools[t] / (stem + output_extension());
            if (found == times[t].end() || !fs::exists(output)) {
                ++missing[t];
                problems[t] += " " + name + " (failed)";
                std::printf(" failed |");
                continue;
            }
            if (everyone) {
                total[t] += found->second;
            }
            Verdict verdict;
            try {
                verdict = check(reference, output);
            } catch (const vips::VError&) {
                ++missing[t];
                std::printf(" unreadable |");
                continue;
            }
            std::string marks;
            if (!verdict.upright) {
                ++sideways[t];
                marks += " sideways";
                problems[t] += " " + name + " (sideways)";
            }
            if (verdict.delta_e > kColourTolerance) {
                ++off_colour[t];
                char text[64];
                std::snprintf(text, sizeof(text), " ΔE %.1f", verdict.delta_e);
                marks += text;
                problems[t] += " " + name + " (" + std::string(text + 1) + ")";
            }
            if (std::getenv("BENCH_SHOW_DELTA_E") != nullptr) {
                std::fprintf(stderr, "%s %s ΔE %.2f\n", tools[t].c_str(), name.c_str(),
                             verdict.delta_e);
            }
            std::printf(" %.1f%s |", found->second, marks.c_str());
        }
        std::printf("\n");
    }
    std::printf(
        "\n| tool | photos done | ms for the %d photos every tool did | images/s | imgline "
        "is faster by | sideways | not sRGB (mean ΔE > %.0f) |\n"
        "|---|---|---|---|---|---|---|\n",
        common, kColourTolerance);
    const auto rate_of = [&](std::size_t t) {
        return total[t] > 0 ? common * 1000.0 / total[t] : 0.0;
    };
    for (std::size_t t = 0; t < tools.size(); ++t) {
        std::printf("| %s | %d/%d | %.0f | %.2f | %.2f× | %d | %d |\n", tools[t].c_str(),
                    photos - missing[t], photos, total[t], rate_of(t),
                    rate_of(t) > 0 ? rate_of(0) / rate_of(t) : 0.0, sideways[t], off_colour[t]);
    }
    std::printf("\nProblems found in the outputs:\n\n");
    for (std::size_t t = 0; t < tools.size(); ++t) {
        std::printf("- **%s**:%s\n", tools[t].c_str(),
                    problems[t].empty() ? " none" : problems[t].c_str());
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr,
                     "usage: bench_transform run CORPUS_DIR OUT_DIR [REPEATS] [jpeg|webp]\n"
                     "       bench_transform report CORPUS_DIR OUT_DIR [--webp] TOOL...\n");
        return 2;
    }
    const std::string mode = argv[1];
    // Every tool may use every core for one image, as each does by default.
    const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    if (!pipeline::start_vips(argv[0], cores)) {
        return 1;
    }
    int status = 2;
    if (mode == "run") {
        webp_job = argc > 5 && std::string(argv[5]) == "webp";
        status = run(argv[2], argv[3], argc > 4 ? std::max(1, std::atoi(argv[4])) : 3);
    } else if (mode == "report") {
        std::vector<std::string> tools(argv + 4, argv + argc);
        if (!tools.empty() && tools.front() == "--webp") {
            webp_job = true;
            tools.erase(tools.begin());
        }
        status = report(argv[2], argv[3], tools);
    }
    pipeline::stop_vips();
    return status;
}
