#include "cli/command.h"

#include <CLI/CLI.hpp>

namespace imgline::cli {

void add_config_option(CLI::App& command, std::optional<std::string>& path) {
    command.add_option("--config", path, "TOML configuration file")->envname("IMGLINE_CONFIG");
}

}  // namespace imgline::cli
