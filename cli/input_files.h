#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace imgline::cli {

/// The files named on a command line, with folders expanded recursively (sorted).
std::vector<std::filesystem::path> expand_inputs(const std::vector<std::string>& inputs);

/// A whole file's bytes; nullopt when it cannot be read.
std::optional<std::string> read_file(const std::filesystem::path& path);

}  // namespace imgline::cli
