#include "app/carrier_directory.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace imgline::app {

CarrierDirectory::CarrierDirectory(config::CarriersConfig config) : config_(std::move(config)) {
    std::vector<std::string> none;
    table_ = cdn::CarrierTable::build({}, none);
}

CarrierLoad CarrierDirectory::load() {
    const auto started = std::chrono::steady_clock::now();
    CarrierLoad result;
    std::vector<cdn::CarrierList> lists;
    for (const auto& source : config::effective_carrier_sources(config_)) {
        for (const auto& file : source.files) {
            const auto path = std::filesystem::path(config_.data_dir) / file;
            std::ifstream in(path, std::ios::binary);
            if (!in) {
                result.problems.push_back(path.string() + ": cannot be read");
                continue;
            }
            std::ostringstream text;
            text << in.rdbuf();
            lists.push_back({source.carrier, file, text.str()});
        }
    }
    auto table = cdn::CarrierTable::build(lists, result.problems);
    result.prefixes = table->prefixes();
    result.intervals = table->intervals();
    const bool unreadable = std::any_of(
        result.problems.begin(), result.problems.end(),
        [](const std::string& problem) { return problem.ends_with(": cannot be read"); });
    if (!unreadable) {
        const std::lock_guard lock(mutex_);
        table_ = std::move(table);
        result.swapped = true;
    }
    result.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return result;
}

std::shared_ptr<const cdn::CarrierTable> CarrierDirectory::table() const {
    const std::lock_guard lock(mutex_);
    return table_;
}

}  // namespace imgline::app
