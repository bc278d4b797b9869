#pragma once

#include <string>
#include <vector>

namespace imgline::config {

/// One thing wrong with a configuration: where ("presets[2].max_bytes", "IMGLINE_LISTEN",
/// "imgline.toml:12:5") and what, in words an operator can act on.
struct ConfigProblem {
    std::string key;
    std::string message;
};

using ConfigProblems = std::vector<ConfigProblem>;

}  // namespace imgline::config
