#include "cli/config_problems.h"

#include <iostream>

namespace imgline::cli {

bool report_config_problems(const config::ConfigProblems& problems) {
    if (problems.empty()) {
        return false;
    }
    std::cerr << "imgline: the configuration has " << problems.size() << " problem(s):\n";
    for (const auto& problem : problems) {
        std::cerr << "  " << problem.key << ": " << problem.message << "\n";
    }
    return true;
}

}  // namespace imgline::cli
