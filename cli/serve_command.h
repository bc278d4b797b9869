#pragma once

#include "cli/command.h"

#include <optional>
#include <string>

namespace imgline::cli {

/// What `imgline serve` was asked for on the command line.
struct ServeArgs {
    std::optional<std::string> config_path;  // --config / IMGLINE_CONFIG
    std::optional<std::string> listen;       // --listen ADDR:PORT
    std::optional<std::string> data_dir;     // --data DIR
    bool print_config = false;               // --print-config
    bool check_config = false;               // --check-config
};

/// Loads and validates the configuration, starts libvips and the server, and serves until
/// SIGTERM/SIGINT. Returns the process exit code: 0 after a clean shutdown, 2 for a bad
/// configuration (every problem printed), 1 when the server cannot start.
int run_serve(const ServeArgs& args, const char* program);

/// Registers `imgline serve` and its flags on `app`.
Command add_serve_command(CLI::App& app, const char* program);

}  // namespace imgline::cli
