#include "app/purge_fanout.h"

#include "common/log.h"

#include <algorithm>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace imgline::app {
namespace {

using namespace std::chrono_literals;

constexpr auto kFirstRetry = 500ms;
constexpr auto kLongestRetry = 30'000ms;
constexpr auto kIdleLook = 1'000ms;  // how often an idle sender looks at its journal anyway
constexpr auto kSendTimeout = 10'000ms;

}  // namespace

std::string PurgeFanout::purge_prefix(const config::EdgeConfig& edge) {
    if (!edge.purge_url.empty()) {
        return edge.purge_url;
    }
    if (edge.base_url.starts_with("http://")) {
        std::string base = edge.base_url;
        while (base.ends_with('/')) {
            base.pop_back();
        }
        return base + "/purge";
    }
    return "";
}

PurgeFanout::PurgeFanout(std::vector<config::EdgeConfig> edges,
                         storage::PurgeJournal& journal,
                         HttpGet get,
                         prometheus::Registry& registry)
    : edges_(std::move(edges)), journal_(journal), get_(std::move(get)) {
    auto& pending = prometheus::BuildGauge()
                        .Name("imgline_purges_pending")
                        .Help("Purge entries an edge has not acknowledged yet")
                        .Register(registry);
    auto& requests = prometheus::BuildCounter()
                         .Name("imgline_purge_requests_total")
                         .Help("Purge requests sent to edges, by result (acknowledged, failed)")
                         .Register(registry);
    for (const auto& edge : edges_) {
        caught_up_.push_back(std::make_unique<std::atomic<bool>>(true));
        retry_.push_back(kFirstRetry);
        pending_.push_back(&pending.Add({{"edge", edge.name}}));
        acknowledged_.push_back(&requests.Add({{"edge", edge.name}, {"result", "acknowledged"}}));
        failed_.push_back(&requests.Add({{"edge", edge.name}, {"result", "failed"}}));
        if (purge_prefix(edge).empty()) {
            log::warn("edge cannot be purged: set its purge_url", {{"edge", edge.name}});
        }
    }
}

void PurgeFanout::start() {
    std::vector<std::size_t> purgeable;
    for (std::size_t i = 0; i < edges_.size(); ++i) {
        if (!purge_prefix(edges_[i]).empty()) {
            caught_up_[i]->store(journal_.pending(edges_[i].name).empty());
            purgeable.push_back(i);
        }
    }
    senders_.start(purgeable, [this](std::size_t index) { return send_round(index); });
}

Expected<void> PurgeFanout::purge(const std::vector<std::string>& paths) {
    std::vector<std::size_t> purgeable;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < edges_.size(); ++i) {
        if (!purge_prefix(edges_[i]).empty()) {
            purgeable.push_back(i);
            names.push_back(edges_[i].name);
        }
    }
    if (names.empty() || paths.empty()) {
        return {};
    }
    {
        // Under the lock a sender checks the generation at, so that no round that read the
        // journal before this entry was written can declare its edge caught up.
        const std::lock_guard lock(mutex_);
        for (const std::size_t i : purgeable) {
            caught_up_[i]->store(false);
        }
        if (auto recorded = journal_.record(names, paths); !recorded) {
            return recorded;
        }
        ++generation_;
    }
    senders_.nudge();
    return {};
}

std::vector<bool> PurgeFanout::caught_up() const {
    std::vector<bool> flags;
    for (const auto& flag : caught_up_) {
        flags.push_back(flag->load(std::memory_order_relaxed));
    }
    return flags;
}

bool PurgeFanout::deliver(std::size_t index, const storage::PendingPurge& purge) {
    std::string prefix = purge_prefix(edges_[index]);
    while (prefix.ends_with('/')) {
        prefix.pop_back();
    }
    for (const auto& path : purge.paths) {
        const auto status = get_(prefix + path, kSendTimeout);
        // The edge refetched the path and stored the origin's answer over its copy: the
        // current image (2xx), or the 404/410 of one that is gone.
        const bool refreshed =
            status && ((*status >= 200 && *status < 300) || *status == 404 || *status == 410);
        if (!refreshed) {
            failed_[index]->Increment();
            log::warn(
                "edge did not take a purge",
                {{"edge", edges_[index].name},
                 {"path", path},
                 {"result", status ? std::to_string(*status) : status.error().public_message}});
            return false;
        }
        acknowledged_[index]->Increment();
    }
    return true;
}

std::chrono::milliseconds PurgeFanout::send_round(std::size_t index) {
    std::uint64_t seen = 0;
    {
        const std::lock_guard lock(mutex_);
        seen = generation_;
    }
    const auto pending = journal_.pending(edges_[index].name);
    pending_[index]->Set(static_cast<double>(pending.size()));
    for (const auto& purge : pending) {
        if (!deliver(index, purge) || !journal_.done(purge)) {
            const auto wait = retry_[index];
            retry_[index] = std::min(wait * 2, std::chrono::milliseconds(kLongestRetry));
            return wait;
        }
    }
    retry_[index] = kFirstRetry;
    const std::lock_guard lock(mutex_);
    if (generation_ == seen) {
        caught_up_[index]->store(true);
        pending_[index]->Set(0);
    }
    return kIdleLook;
}

}  // namespace imgline::app
