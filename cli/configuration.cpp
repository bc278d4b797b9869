#include "cli/configuration.h"

#include <algorithm>
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

void warn_if_secrets_are_world_readable(const std::string& path, const config::Config& config) {
    const bool secrets =
        !config.signing.keys.empty() ||
        std::any_of(config.edges.begin(), config.edges.end(),
                    [](const config::EdgeConfig& edge) { return !edge.url_auth_secret.empty(); });
    std::error_code ec;
    const auto perms = std::filesystem::status(path, ec).permissions();
    if (!ec && secrets &&
        (perms & std::filesystem::perms::others_read) != std::filesystem::perms::none) {
        std::cerr << "imgline: warning: " << path
                  << " holds secrets (signing keys, edges' url_auth_secret) and anyone on this "
                     "machine can read it; chmod 640 it\n";
    }
}

config::LoadResult load_configuration(const std::optional<std::string>& path,
                                      const std::function<void(config::Config&)>& adjust) {
    auto loaded = config::load_checked_config(
        path, config::current_environment(), [&](config::Config& config) {
            if (config.carriers.data_dir.empty()) {
                config.carriers.data_dir = bundled_carrier_lists();
            }
            if (adjust) {
                adjust(config);
            }
        });
    if (path) {
        warn_if_secrets_are_world_readable(*path, loaded.config);
    }
    return loaded;
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
