#pragma once

#include "common/expected.h"

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace imgline::storage {

/// One purge still owed to one edge: the paths to drop from its cache.
struct PendingPurge {
    std::string file;  // the journal entry, removed once the edge acknowledged every path
    std::vector<std::string> paths;
};

/// Purges owed to edges, kept on disk until each edge acknowledges them, so a purge survives
/// a crash or an edge that is down for days. Layout: <data_dir>/purges/<edge>/<seq>.purge, one
/// path per line, written durably (write_durably) before record() returns; entries are sent
/// in sequence order. Thread-safe.
class PurgeJournal {
public:
    explicit PurgeJournal(std::string data_dir);

    /// Journals `paths` for each edge. Fails (507/503) without having acknowledged anything
    /// when the disk refuses.
    Expected<void> record(const std::vector<std::string>& edges,
                          const std::vector<std::string>& paths);

    /// `edge`'s pending purges, oldest first (an entry that cannot be read is skipped).
    std::vector<PendingPurge> pending(const std::string& edge) const;

    /// Drops an acknowledged entry (durably).
    Expected<void> done(const PendingPurge& purge);

private:
    std::string root_;
    std::mutex mutex_;
    std::uint64_t sequence_ = 0;
};

}  // namespace imgline::storage
