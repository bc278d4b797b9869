#pragma once

#include "cli/command.h"

#include <string>
#include <vector>

namespace imgline::cli {

/// What `imgline rerender` was asked for.
struct RerenderArgs {
    std::string server_url;            // --server http://HOST:PORT
    std::string key;                   // --key (or IMGLINE_KEY): an admin's
    std::vector<std::string> presets;  // --preset, once or more
    double per_second = 2.0;           // --per-second
    bool all = false;                  // --all: every original too, not only those asked for
};

/// Asks a running server to re-render the presets' renditions in the background
/// (POST /v1/admin/rerender) and follows its progress until it ends, with a progress bar on a
/// terminal and a summary. Exit code 0 when every render succeeded, 1 when some failed or the
/// job stopped, 2 when the server refused (bad arguments, a job already running, not an admin).
int run_rerender(const RerenderArgs& args);

/// Registers `imgline rerender` and its flags on `app`.
Command add_rerender_command(CLI::App& app);

}  // namespace imgline::cli
