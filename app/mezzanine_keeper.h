#pragma once

#include "common/deadline.h"
#include "common/worker_pool.h"
#include "config/config.h"
#include "pipeline/probe.h"
#include "storage/original_store.h"

#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace imgline::app {

/// Keeps each original's mezzanines (pipeline/mezzanine.h: upright sRGB copies at
/// storage.mezzanine_max_side and half of it) in the store: at upload, before the record is
/// written, and later, in the background, for an original a render found without them (stored
/// before mezzanines existed or while they were off, or whose mezzanines could not be made).
class MezzanineKeeper {
public:
    /// storage.mezzanine_max_side (0: off), and the limits a stored original is read back under.
    MezzanineKeeper(const config::Config& config, storage::OriginalStore& store);

    /// Makes and stores the mezzanines of `bytes` (its id `id`) unless they are off or kept
    /// already. A failure is logged; renders then decode the original.
    void keep(const std::string& id,
              std::string_view bytes,
              const pipeline::ImageInfo& info,
              const Deadline& deadline) {
        (void)keep(id, bytes, info, deadline, false);
    }

    /// Queues keep() on `pool` for original `id` when it should have mezzanines (its records
    /// say it is larger than the smallest) and has none, once at a time per image, and never
    /// again in this process for an image whose mezzanines could not be made. The cheap checks
    /// come first: with mezzanines off or kept already, nothing is read. True when queued.
    bool backfill(const std::string& id, WorkerPool& pool);

private:
    // `only_while_stored`: for back-fills, which must not outlive a delete. False when the
    // mezzanines were due and could not be kept.
    bool keep(const std::string& id,
              std::string_view bytes,
              const pipeline::ImageInfo& info,
              const Deadline& deadline,
              bool only_while_stored);

    int max_side_;
    config::LimitsConfig limits_;
    storage::OriginalStore& store_;
    std::mutex mutex_;
    std::set<std::string> pending_;
    std::set<std::string> failed_;  // bounded: emptied when it reaches kMaxFailed
};

}  // namespace imgline::app
