#include "cli/check_command.h"

#include "app/brand_fixes.h"
#include "app/brand_report.h"
#include "cli/configuration.h"
#include "cli/input_files.h"
#include "cli/progress.h"
#include "config/load_config.h"
#include "pipeline/brand_check.h"
#include "pipeline/inspect.h"
#include "pipeline/vips_runtime.h"

#include <algorithm>
#include <array>
#include <iostream>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

namespace imgline::cli {
namespace {

// Terminal columns of UTF-8 text (one per code point: the reports use ×, ΔE and – only).
std::size_t display_width(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string padded(std::string_view text, std::size_t width) {
    std::string cell(text);
    cell.append(width - std::min(width, display_width(text)), ' ');
    return cell;
}

std::string upper(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return result;
}

// A readable table: one row per rule; rules that did not pass get their message and fix.
std::string report_table(const std::string& file, const pipeline::BrandReport& report) {
    std::ostringstream out;
    out << file << "  brand " << report.brand << ", role " << report.role << ": "
        << upper(pipeline::verdict_name(report.verdict))
        << (report.blocked ? " (an upload would be refused)" : "") << "\n";
    if (report.rules.empty()) {
        out << "  (this brand has no rules for " << report.role << " images)\n";
        return out.str();
    }
    std::array<std::size_t, 3> widths{4, 7, 8};
    for (const auto& rule : report.rules) {
        widths[0] = std::max(widths[0], display_width(rule.rule));
        widths[2] = std::max(widths[2], display_width(rule.measured));
    }
    out << "  " << padded("rule", widths[0]) << "  " << padded("verdict", widths[1]) << "  "
        << padded("measured", widths[2]) << "  wanted\n";
    for (const auto& rule : report.rules) {
        const std::string verdict(pipeline::verdict_name(rule.verdict));
        out << "  " << padded(rule.rule, widths[0]) << "  "
            << padded(rule.verdict == pipeline::Verdict::Pass ? verdict : upper(verdict), widths[1])
            << "  " << padded(rule.measured, widths[2]) << "  " << rule.threshold << "\n";
        if (rule.verdict != pipeline::Verdict::Pass) {
            out << "      " << rule.message << "\n";
            if (!rule.fix.empty()) {
                out << "      fix: " << rule.fix
                    << (rule.fix_applied ? " (applied to renditions)" : " (not enabled)") << "\n";
            }
        }
    }
    return out.str();
}

}  // namespace

int run_check(const CheckArgs& args, const char* program) {
    const auto loaded = load_configuration(args.config_path);
    if (report_config_problems(loaded.problems)) {
        return 2;
    }
    const config::Config& config = loaded.config;
    const config::BrandConfig* brand = config::find_brand(config, args.brand);
    if (brand == nullptr) {
        std::cerr << "imgline: no brand is named '" << args.brand << "'\n";
        return 2;
    }
    if (!app::is_image_role(args.role)) {
        std::cerr << "imgline: " << app::kRoleHint << "\n";
        return 2;
    }
    const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    if (auto started = pipeline::start_vips(program, cores); !started) {
        std::cerr << "imgline: " << started.error().public_message << "\n";
        return 1;
    }
    const auto files = expand_inputs(args.inputs);
    ProgressLine progress(files.size());
    bool any_failed = false;
    for (const auto& file : files) {
        auto bytes = read_file(file);
        Expected<pipeline::BrandReport> report = fail(ErrorCode::NotFound, "cannot read the file");
        if (bytes) {
            const auto deadline = Deadline::after(config.limits.render_timeout);
            auto info = pipeline::inspect(*bytes, config.limits, deadline);
            report = info ? pipeline::check_brand(*bytes, *info, *brand, args.role, deadline)
                          : tl::unexpected(info.error());
        }
        const bool failed = !report || report->verdict == pipeline::Verdict::Fail;
        any_failed = any_failed || failed;
        progress.advance(failed);
        progress.finish_line();
        if (args.json) {
            boost::json::object line{{"input", file.string()}};
            if (report) {
                line["report"] = app::report_json(*report);
            } else {
                line["error"] = error_slug(report.error().code);
                line["message"] = report.error().public_message;
            }
            std::cout << boost::json::serialize(line) << "\n" << std::flush;
        } else if (report) {
            std::cout << report_table(file.string(), *report) << "\n" << std::flush;
        } else {
            std::cout << file.string() << "  cannot be checked: " << report.error().public_message
                      << "\n\n"
                      << std::flush;
        }
    }
    progress.finish();
    pipeline::stop_vips();
    return any_failed ? 1 : 0;
}

Command add_check_command(CLI::App& app, const char* program) {
    auto args = std::make_shared<CheckArgs>();
    auto* command = app.add_subcommand(
        "check",
        "Check photos against a brand's style rules (size, shape, background, framing,\n"
        "sharpness, exposure, colour space, format) and print a report per file. Exit code 1\n"
        "when any photo fails a rule.");
    command->add_option("inputs", args->inputs, "Image files or folders")->required();
    command->add_option("--brand", args->brand,
                        "Brand name from the configuration (default: the default brand)");
    command->add_option("--role", args->role,
                        "main, detail, size_chart, ad or other (default: main)");
    command->add_flag("--json", args->json, "Print one JSON line per file");
    add_config_option(*command, args->config_path);
    return {command, [args, program] { return run_check(*args, program); }};
}

}  // namespace imgline::cli
