#pragma once

#include "cdn/carrier_table.h"
#include "config/config.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace imgline::app {

/// What one (re)load of the carrier lists did.
struct CarrierLoad {
    bool swapped = false;  // false: a file could not be read, the previous table stays
    std::size_t prefixes = 0;
    std::size_t intervals = 0;
    double milliseconds = 0.0;
    std::vector<std::string> problems;  // "file:line: ..." and unreadable files
};

/// The carrier table in use, published as an immutable snapshot: lookups take the current
/// table (a shared_ptr copy under a short lock) while a reload builds the next one aside and
/// swaps it in, so no request waits for a reload or sees half a table.
class CarrierDirectory {
public:
    /// Empty (every viewer on "default") until load() is called.
    explicit CarrierDirectory(config::CarriersConfig config);

    /// Reads every configured file under data_dir and swaps the new table in. A file that
    /// cannot be read keeps the previous table (a missing mount must not send every viewer to
    /// the default line); malformed lines are skipped and reported.
    CarrierLoad load();

    std::shared_ptr<const cdn::CarrierTable> table() const;

private:
    config::CarriersConfig config_;
    mutable std::mutex mutex_;
    std::shared_ptr<const cdn::CarrierTable> table_;
};

}  // namespace imgline::app
