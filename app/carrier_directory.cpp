#include "app/carrier_directory.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <prometheus/gauge.h>

namespace imgline::app {

CarrierDirectory::CarrierDirectory(config::CarriersConfig config, prometheus::Gauge* snapshot_gauge)
    : config_(std::move(config)), snapshot_gauge_(snapshot_gauge) {
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
    if (std::ifstream stamp(std::filesystem::path(config_.data_dir) / "SNAPSHOT"); stamp) {
        std::getline(stamp, result.snapshot);
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
        snapshot_ = result.snapshot;
        result.swapped = true;
        if (snapshot_gauge_ != nullptr) {
            snapshot_gauge_->Set(
                static_cast<double>(snapshot_unix_seconds(result.snapshot).value_or(0)));
        }
    }
    result.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return result;
}

std::string CarrierDirectory::snapshot() const {
    const std::lock_guard lock(mutex_);
    return snapshot_;
}

std::optional<std::int64_t> snapshot_unix_seconds(std::string_view snapshot) {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    char dash1 = 0;
    char dash2 = 0;
    std::istringstream in{std::string(snapshot)};
    in >> year >> dash1 >> month >> dash2 >> day;
    if (!in || dash1 != '-' || dash2 != '-' || !(in >> std::ws).eof()) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                           std::chrono::day{day}};
    if (!date.ok()) {
        return std::nullopt;
    }
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::sys_days{date}.time_since_epoch())
        .count();
}

std::optional<std::int64_t> snapshot_age_days(std::string_view snapshot,
                                              std::int64_t now_unix_seconds) {
    const auto taken = snapshot_unix_seconds(snapshot);
    if (!taken) {
        return std::nullopt;
    }
    return (now_unix_seconds - *taken) / 86'400;
}

std::shared_ptr<const cdn::CarrierTable> CarrierDirectory::table() const {
    const std::lock_guard lock(mutex_);
    return table_;
}

}  // namespace imgline::app
