#include "cli/configuration.h"

#include <filesystem>
#include <iostream>

namespace imgline::cli {

std::string bundled_carrier_lists() {
    std::error_code ec;
    const auto binary = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) {
        return {};
    }
    const auto lists = binary.parent_path().parent_path() / "share" / "imgline" / "carriers";
    return std::filesystem::is_directory(lists, ec) ? lists.string() : std::string();
}

config::LoadResult load_configuration(const std::optional<std::string>& path,
                                      const std::function<void(config::Config&)>& adjust) {
    return config::load_checked_config(path, config::current_environment(),
                                       [&](config::Config& config) {
                                           if (config.carriers.data_dir.empty()) {
                                               config.carriers.data_dir = bundled_carrier_lists();
                                           }
                                           if (adjust) {
                                               adjust(config);
                                           }
                                       });
}

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
