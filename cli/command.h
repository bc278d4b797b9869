#pragma once

#include <functional>
#include <optional>
#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace imgline::cli {

/// A subcommand as main sees it: its node in the command line, and what runs when it was
/// given (returning the exit code). Each command file registers its own flags.
struct Command {
    CLI::App* app = nullptr;
    std::function<int()> run;
};

/// --config FILE (also IMGLINE_CONFIG): the flag of every command that reads the configuration.
void add_config_option(CLI::App& command, std::optional<std::string>& path);

}  // namespace imgline::cli
