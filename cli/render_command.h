#pragma once

#include "cli/command.h"

#include <optional>
#include <string>
#include <vector>

namespace imgline::cli {

/// What `imgline render` was asked for.
struct RenderArgs {
    std::vector<std::string> inputs;         // files or folders (searched recursively)
    std::string preset = "detail";           // --preset
    std::optional<std::string> format;       // --format jpeg|webp|avif|png; default: the
                                             // preset's first format
    std::string out_dir = ".";               // --out
    std::optional<std::string> config_path;  // --config / IMGLINE_CONFIG
};

/// Renders each input through the preset, writes <out>/<name>.<preset>.<ext>, prints one JSON
/// line per file and a summary line, with a progress bar on a terminal. Exit code: 0 when
/// every file rendered, 1 when any failed, 2 for bad arguments or configuration.
int run_render(const RenderArgs& args, const char* program);

/// Registers `imgline render` and its flags on `app`.
Command add_render_command(CLI::App& app, const char* program);

}  // namespace imgline::cli
