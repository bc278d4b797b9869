#pragma once

#include "app/rendition_service.h"
#include "common/expected.h"
#include "common/worker_pool.h"
#include "config/config.h"
#include "storage/original_store.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace imgline::app {

/// What a re-render was asked to do.
struct RerenderAsk {
    std::vector<std::string> presets;  // configured preset names
    double per_second = 2.0;           // renders started per second at most
    bool all = false;                  // after what viewers asked for, every original too
};

/// Re-renders the renditions of some presets in the background after a style change, so that
/// viewers of the new URLs find them ready: what viewers asked for most first
/// (RenditionDemand), then, when asked, every original of every party. One job at a time, on
/// one thread of its own, at most `per_second` renders a second, so live traffic keeps its
/// cores and its latency; renditions already cached are skipped. Thread-safe.
class Rerenderer {
public:
    Rerenderer();
    ~Rerenderer();

    /// Starts a job with `renditions` (the service of the configuration in use) and `config`
    /// (its presets, its parties). Conflict while one is running; BadRequest for an unknown
    /// preset or a rate outside 0.1..100.
    Expected<void> start(RerenderAsk ask,
                         RenditionService renditions,
                         const config::Config& config,
                         const storage::OriginalStore& store,
                         const RenditionDemand& demand);

    /// The job's progress: {"state": "idle" | "running" | "done" | "stopped", "presets",
    /// "per_second", "all", "rendered", "already_there", "failed", "done", "planned",
    /// "started_at", "seconds"}.
    boost::json::object status() const;

private:
    void run(RerenderAsk ask,
             RenditionService renditions,
             const config::Config& config,
             const storage::OriginalStore& store,
             const RenditionDemand& demand);
    void note(RenditionService::Ahead outcome);

    mutable std::mutex mutex_;
    boost::json::object status_;
    std::atomic<bool> running_{false};
    std::atomic<bool> stopping_{false};
    std::chrono::steady_clock::time_point started_;
    WorkerPool pool_;  // last: stopped (and its job told to stop) before the rest goes
};

}  // namespace imgline::app
