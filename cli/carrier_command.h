#pragma once

#include "cli/command.h"

#include <optional>
#include <string>
#include <vector>

namespace imgline::cli {

/// What `imgline carrier` was asked for.
struct CarrierArgs {
    std::vector<std::string> addresses;
    std::optional<std::string> data_dir;     // --data-dir: overrides carriers.data_dir
    std::optional<std::string> config_path;  // --config / IMGLINE_CONFIG
};

/// Prints, per address, the carrier line it is on ("default" when on no list), the matching
/// prefix and its file, and other lists with the same prefix. Exit 0, 2 for a bad address or
/// configuration, 1 when the lists cannot be read.
int run_carrier(const CarrierArgs& args);

/// Registers `imgline carrier` and its flags on `app`.
Command add_carrier_command(CLI::App& app);

}  // namespace imgline::cli
