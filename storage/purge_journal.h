#pragma once

#include "common/expected.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imgline::storage {

/// One purge still owed to one edge: the paths to drop from its cache.
struct PendingPurge {
    std::string entry;  // where the journal keeps it; removed once the edge acknowledged it
    std::vector<std::string> paths;
};

/// Purges owed to edges, kept until each edge acknowledges them, so a purge survives a crash,
/// an edge that is down for days and (with the object store's journal) the loss of the origin
/// that wrote it: any origin sending purges sends every pending one, so each edge is purged at
/// least once. Entries are named by the microsecond they were written and sent oldest first.
/// Thread-safe.
class PurgeJournal {
public:
    virtual ~PurgeJournal() = default;

    /// Journals `paths` for each edge, durably, before returning. Fails (507/503) without
    /// having acknowledged anything when the storage refuses.
    virtual Expected<void> record(const std::vector<std::string>& edges,
                                  const std::vector<std::string>& paths) = 0;

    /// `edge`'s pending purges, oldest first (an entry that cannot be read is skipped).
    virtual std::vector<PendingPurge> pending(const std::string& edge) const = 0;

    /// Drops an acknowledged entry (durably); dropping one already gone succeeds.
    virtual Expected<void> done(const PendingPurge& purge) = 0;
};

/// An entry's name: the time in microseconds, zero-padded so names sort in time order, then
/// `tag` (which tells apart entries written in the same microsecond by different origins).
std::string purge_entry_name(std::string_view tag);

/// An entry's text (one path per line) and back.
std::string purge_text(const std::vector<std::string>& paths);
std::vector<std::string> purge_paths(std::string_view text);

}  // namespace imgline::storage
