#pragma once

#include "cli/command.h"

#include <optional>
#include <string>
#include <vector>

namespace imgline::cli {

/// What `imgline check` was asked for.
struct CheckArgs {
    std::vector<std::string> inputs;         // files or folders (searched recursively)
    std::string brand;                       // --brand; empty: the default brand
    std::string role = "main";               // --role
    bool json = false;                       // --json: one JSON line per file
    std::optional<std::string> config_path;  // --config / IMGLINE_CONFIG
};

/// Checks each photo against a brand's rules for a role and prints a table per file (or JSON
/// lines), with a progress bar on a terminal. Exit code: 0 when nothing failed a fail-rule,
/// 1 when any photo did or could not be checked, 2 for bad arguments or configuration.
int run_check(const CheckArgs& args, const char* program);

/// Registers `imgline check` and its flags on `app`.
Command add_check_command(CLI::App& app, const char* program);

}  // namespace imgline::cli
