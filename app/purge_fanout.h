#pragma once

#include "app/edge_http.h"
#include "app/edge_workers.h"
#include "config/config.h"
#include "storage/purge_journal.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace prometheus {
class Registry;
class Gauge;
class Counter;
}  // namespace prometheus

namespace imgline::app {

/// Sends exact-key purges to every edge: purge() journals the paths for each edge durably
/// (storage::PurgeJournal) and returns; one sender thread per edge then sends
/// GET <purge_url><path> for each (the edge refetches the path from the origin and stores the
/// answer over its copy; a 2xx, 404 or 410 acknowledges it) and drops the
/// entry once every path is acknowledged, retrying with back-off (0.5 s doubling to 30 s)
/// while the edge fails — also across restarts. An edge that still owes purges is not
/// caught_up(), and steering keeps viewers off it until it is.
/// Metrics: imgline_purges_pending{edge}, imgline_purge_requests_total{edge,result}.
class PurgeFanout {
public:
    PurgeFanout(std::vector<config::EdgeConfig> edges,
                storage::PurgeJournal& journal,
                HttpGet get,
                prometheus::Registry& registry);

    /// Starts the senders (idempotent); entries left from an earlier run are sent first.
    void start();

    /// Journals `paths` for every edge that can be purged, then wakes the senders.
    Expected<void> purge(const std::vector<std::string>& paths);

    /// Per edge, in configuration order: true when it owes no purge.
    std::vector<bool> caught_up() const;

    /// The purge URL prefix of an edge: purge_url, else base_url + "/purge" for http edges,
    /// else empty (cannot be purged).
    static std::string purge_prefix(const config::EdgeConfig& edge);

private:
    std::chrono::milliseconds send_round(std::size_t index);
    bool deliver(std::size_t index, const storage::PendingPurge& purge);

    std::vector<config::EdgeConfig> edges_;
    storage::PurgeJournal& journal_;
    HttpGet get_;
    std::vector<std::unique_ptr<std::atomic<bool>>> caught_up_;
    std::vector<std::chrono::milliseconds> retry_;  // per edge, used by its sender alone
    std::vector<prometheus::Gauge*> pending_;
    std::vector<prometheus::Counter*> acknowledged_;
    std::vector<prometheus::Counter*> failed_;
    std::mutex mutex_;
    std::uint64_t generation_ = 0;  // bumped by purge(): a round that saw an older one may not
                                    // declare its edge caught up
    EdgeWorkers senders_;           // last: stopped before what the rounds use
};

}  // namespace imgline::app
