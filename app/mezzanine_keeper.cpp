#include "app/mezzanine_keeper.h"

#include "common/log.h"
#include "pipeline/mezzanine.h"

#include <algorithm>
#include <future>
#include <vector>

namespace imgline::app {
namespace {

// Images whose back-fill failed, remembered so that their renders do not queue it again.
constexpr std::size_t kMaxFailed = 10000;

}  // namespace

MezzanineKeeper::MezzanineKeeper(const config::Config& config, storage::OriginalStore& store)
    : max_side_(static_cast<int>(config.storage.mezzanine_max_side)),
      limits_(config.limits),
      store_(store) {}

bool MezzanineKeeper::keep(const std::string& id,
                           std::string_view bytes,
                           const pipeline::ImageInfo& info,
                           const Deadline& deadline,
                           bool only_while_stored) {
    const auto sides = pipeline::mezzanine_sides(max_side_);
    if (sides.empty() || store_.has_mezzanine(id, sides.back())) {
        return true;  // off, or kept at an earlier upload of the same bytes
    }
    auto made = pipeline::make_mezzanines(bytes, info, max_side_, deadline);
    Expected<void> kept;
    if (made) {
        // Written together: with an object store each is a round trip.
        std::vector<std::future<Expected<void>>> writes;
        for (const auto& mezzanine : *made) {
            writes.push_back(std::async(std::launch::async, [&, &m = mezzanine] {
                return store_.put_mezzanine(id, m.side, m.bytes, only_while_stored);
            }));
        }
        for (auto& write : writes) {
            if (auto done = write.get(); !done && kept) {
                kept = std::move(done);
            }
        }
    }
    const Error* error = !made ? &made.error() : !kept ? &kept.error() : nullptr;
    if (error != nullptr) {
        log::warn("no mezzanine; renders will decode the original",
                  {{"id", id}, {"detail", error->public_message + ": " + error->detail}});
    }
    return error == nullptr;
}

bool MezzanineKeeper::backfill(const std::string& id, WorkerPool& pool) {
    const auto sides = pipeline::mezzanine_sides(max_side_);
    if (sides.empty() || store_.has_mezzanine(id, sides.back())) {
        return false;
    }
    // Mezzanines are made only smaller than the original; the smallest says whether any is due.
    const auto records = store_.records_of(id);
    if (records.empty() ||
        std::max(records.front().width, records.front().height) <= sides.back()) {
        return false;
    }
    {
        const std::lock_guard lock(mutex_);
        if (failed_.contains(id) || !pending_.insert(id).second) {
            return false;  // failed before, or queued or running already
        }
    }
    const bool queued = pool.try_submit([this, id] {
        bool kept = false;
        if (auto original = store_.read(id)) {
            if (auto info = pipeline::probe(*original, limits_); info) {
                kept = keep(id, *original, *info, Deadline::after(limits_.render_timeout), true);
            }
        }
        const std::lock_guard lock(mutex_);
        pending_.erase(id);
        if (!kept) {
            if (failed_.size() >= kMaxFailed) {
                failed_.clear();
            }
            failed_.insert(id);
        }
    });
    if (!queued) {
        const std::lock_guard lock(mutex_);
        pending_.erase(id);
    }
    return queued;
}

}  // namespace imgline::app
