#pragma once

#include "cdn/carrier_table.h"
#include "config/config.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace prometheus {
class Gauge;
}  // namespace prometheus

namespace imgline::app {

/// What one (re)load of the carrier lists did.
struct CarrierLoad {
    bool swapped = false;  // false: a file could not be read, the previous table stays
    std::size_t prefixes = 0;
    std::size_t intervals = 0;
    double milliseconds = 0.0;
    std::vector<std::string> problems;  // "file:line: ..." and unreadable files
    /// The lists' snapshot date from <data_dir>/SNAPSHOT ("2026-02-16"); empty without one.
    std::string snapshot;
};

/// Days from the snapshot date `snapshot` ("YYYY-MM-DD") to `now_unix_seconds`; nullopt for
/// anything that is not such a date. Pure.
std::optional<std::int64_t> snapshot_age_days(std::string_view snapshot,
                                              std::int64_t now_unix_seconds);

/// The snapshot date as Unix seconds at midnight UTC; nullopt when it is not a date. Pure.
std::optional<std::int64_t> snapshot_unix_seconds(std::string_view snapshot);

/// Lists older than this get a warning at start: carriers move prefixes every week.
inline constexpr std::int64_t kStaleCarrierListDays = 90;

/// The carrier table in use, published as an immutable snapshot: lookups take the current
/// table (a shared_ptr copy under a short lock) while a reload builds the next one aside and
/// swaps it in, so no request waits for a reload or sees half a table.
class CarrierDirectory {
public:
    /// Empty (every viewer on "default") until load() is called. Each swap sets
    /// `snapshot_gauge`, when given, to the lists' snapshot date (Unix seconds).
    explicit CarrierDirectory(config::CarriersConfig config,
                              prometheus::Gauge* snapshot_gauge = nullptr);

    /// Reads every configured file under data_dir and swaps the new table in. A file that
    /// cannot be read keeps the previous table (a missing mount must not send every viewer to
    /// the default line); malformed lines are skipped and reported.
    CarrierLoad load();

    std::shared_ptr<const cdn::CarrierTable> table() const;

    /// The snapshot date of the lists in use (CarrierLoad::snapshot of the last swap).
    std::string snapshot() const;

private:
    config::CarriersConfig config_;
    mutable std::mutex mutex_;
    std::shared_ptr<const cdn::CarrierTable> table_;
    std::string snapshot_;
    prometheus::Gauge* snapshot_gauge_;
};

}  // namespace imgline::app
