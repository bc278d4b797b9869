#include "cli/render_command.h"

#include "cli/configuration.h"
#include "cli/input_files.h"
#include "cli/progress.h"
#include "config/load_config.h"
#include "pipeline/inspect.h"
#include "pipeline/render.h"
#include "pipeline/vips_runtime.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

namespace imgline::cli {
namespace {

namespace fs = std::filesystem;

const config::PresetConfig* find_preset(const config::Config& config, const std::string& name) {
    for (const auto& preset : config.presets) {
        if (preset.name == name) {
            return &preset;
        }
    }
    return nullptr;
}

// `<stem>.<preset>.<ext>` in `out_dir`, unless an earlier input of this run took that name (two
// inputs with the same stem: photo.jpg and photo.webp, or a/x.jpg and b/x.jpg): then the
// input's own extension joins the name, and then a counter, so no output overwrites another.
fs::path output_path(const fs::path& out_dir,
                     const fs::path& input,
                     const std::string& preset,
                     std::string_view extension,
                     std::set<fs::path>& taken) {
    const std::string stem = input.stem().string();
    const std::string source = input.extension().string();  // ".jpg", or ""
    const std::string tail = "." + preset + "." + std::string(extension);
    fs::path candidate = out_dir / (stem + tail);
    for (int counter = 1; taken.contains(candidate); ++counter) {
        const std::string suffix = counter > 1 ? "-" + std::to_string(counter) : "";
        candidate = out_dir / (stem + source + suffix + tail);
    }
    taken.insert(candidate);
    return candidate;
}

// Writes the whole file or reports why not.
bool write_output(const fs::path& path, const std::string& bytes) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    file.close();
    return !file.fail();
}

void print_line(const boost::json::object& line) {
    std::cout << boost::json::serialize(line) << "\n" << std::flush;
}

}  // namespace

int run_render(const RenderArgs& args, const char* program) {
    const auto loaded = load_configuration(args.config_path);
    if (report_config_problems(loaded.problems)) {
        return 2;
    }
    const config::Config& config = loaded.config;
    const auto* preset = find_preset(config, args.preset);
    if (preset == nullptr) {
        std::cerr << "imgline: no preset is named '" << args.preset << "'\n";
        return 2;
    }
    const std::string format_text = args.format.value_or(preset->formats.front());
    const auto format = pipeline::parse_format_name(format_text);
    if (!format) {
        std::cerr << "imgline: unknown format '" << format_text << "'\n";
        return 2;
    }
    const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    if (auto started = pipeline::start_vips(program, cores); !started) {
        std::cerr << "imgline: " << started.error().public_message << "\n";
        return 1;
    }
    auto plan = pipeline::make_plan(*preset, *format);
    if (!plan) {
        std::cerr << "imgline: " << plan.error().public_message << "\n";
        pipeline::stop_vips();
        return 2;
    }
    std::error_code ec;
    fs::create_directories(args.out_dir, ec);

    const auto files = expand_inputs(args.inputs);
    ProgressLine progress(files.size());
    std::size_t rendered = 0;
    std::size_t failed = 0;
    std::size_t unmet = 0;
    std::size_t encodes = 0;
    std::set<fs::path> taken;
    const auto all_started = std::chrono::steady_clock::now();
    for (const auto& file : files) {
        const auto started = std::chrono::steady_clock::now();
        boost::json::object line{{"input", file.string()}};
        auto bytes = read_file(file);
        Expected<pipeline::Rendition> rendition = fail(ErrorCode::NotFound, "cannot read the file");
        if (bytes) {
            const auto deadline = Deadline::after(config.limits.render_timeout);
            auto checked = pipeline::inspect(*bytes, config.limits, deadline);
            if (checked) {
                rendition = pipeline::render(*bytes, *plan, config.limits, deadline);
            } else {
                rendition = tl::unexpected(checked.error());
            }
        }
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
        const auto out = rendition ? output_path(args.out_dir, file, args.preset,
                                                 pipeline::file_extension(rendition->format), taken)
                                   : fs::path();
        if (rendition && !write_output(out, rendition->bytes)) {
            rendition = fail(ErrorCode::Internal, "cannot write " + out.string());
        }
        if (rendition) {
            line["output"] = out.string();
            line["bytes"] = rendition->bytes.size();
            line["width"] = rendition->width;
            line["height"] = rendition->height;
            line["quality"] = rendition->quality;
            line["encodes"] = rendition->encodes;
            line["budget_met"] = rendition->budget_met;
            line["ms"] = static_cast<std::int64_t>(ms);
            ++rendered;
            encodes += static_cast<std::size_t>(rendition->encodes);
            unmet += rendition->budget_met ? 0 : 1;
        } else {
            line["error"] = error_slug(rendition.error().code);
            line["message"] = rendition.error().public_message;
            ++failed;
        }
        progress.advance(!rendition);
        // The progress line lives on stderr and the JSON lines on stdout, so they never mix.
        print_line(line);
    }
    progress.finish();
    const double total_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - all_started)
            .count();
    boost::json::object summary{
        {"files", files.size()},
        {"rendered", rendered},
        {"failed", failed},
        {"budget_unmet", unmet},
        {"mean_encodes",
         rendered > 0 ? static_cast<double>(encodes) / static_cast<double>(rendered) : 0.0},
        {"ms", static_cast<std::int64_t>(total_ms)}};
    print_line({{"summary", summary}});
    pipeline::stop_vips();
    return failed > 0 ? 1 : 0;
}

Command add_render_command(CLI::App& app, const char* program) {
    auto args = std::make_shared<RenderArgs>();
    auto* command = app.add_subcommand(
        "render",
        "Render image files (or whole folders) through a preset under its byte budget, and\n"
        "print one JSON line per file (bytes, size, quality, encodes, budget_met, ms).");
    command->add_option("inputs", args->inputs, "Image files or folders")->required();
    command->add_option("--preset", args->preset, "Preset name (default: detail)");
    command->add_option("--format", args->format,
                        "jpeg, webp, avif or png (default: the preset's first format)");
    command->add_option("--out", args->out_dir,
                        "Folder for the results, named <file>.<preset>.<ext> (default: .)");
    add_config_option(*command, args->config_path);
    return {command, [args, program] { return run_render(*args, program); }};
}

}  // namespace imgline::cli
