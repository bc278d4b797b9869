#include "server/purge_fanout.h"

#include "common/log.h"
#include "server/http_client.h"

#include <algorithm>

#include <boost/url/parse.hpp>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace imgline::server {
namespace {

using namespace std::chrono_literals;

constexpr auto kFirstRetry = 500ms;
constexpr auto kLongestRetry = 30'000ms;
constexpr auto kIdleLook = 1'000ms;  // how often an idle sender looks at its journal anyway

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
                         prometheus::Registry& registry)
    : edges_(std::move(edges)), journal_(journal) {
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
        pending_.push_back(&pending.Add({{"edge", edge.name}}));
        acknowledged_.push_back(&requests.Add({{"edge", edge.name}, {"result", "acknowledged"}}));
        failed_.push_back(&requests.Add({{"edge", edge.name}, {"result", "failed"}}));
        if (purge_prefix(edge).empty()) {
            log::warn("edge cannot be purged: set its purge_url", {{"edge", edge.name}});
        }
    }
}

PurgeFanout::~PurgeFanout() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& sender : senders_) {
        sender.join();
    }
}

void PurgeFanout::start() {
    const std::lock_guard lock(mutex_);
    if (!senders_.empty()) {
        return;
    }
    for (std::size_t i = 0; i < edges_.size(); ++i) {
        if (!purge_prefix(edges_[i]).empty()) {
            caught_up_[i]->store(journal_.pending(edges_[i].name).empty());
            senders_.emplace_back([this, i] { send_forever(i); });
        }
    }
}

Expected<void> PurgeFanout::purge(const std::vector<std::string>& paths) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < edges_.size(); ++i) {
        if (!purge_prefix(edges_[i]).empty()) {
            names.push_back(edges_[i].name);
            caught_up_[i]->store(false);
        }
    }
    if (names.empty() || paths.empty()) {
        return {};
    }
    if (auto recorded = journal_.record(names, paths); !recorded) {
        return recorded;
    }
    {
        const std::lock_guard lock(mutex_);
        ++generation_;
    }
    wake_.notify_all();
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
    const std::string target = purge_prefix(edges_[index]);  // parse_uri only views it
    const auto url = boost::urls::parse_uri(target);
    if (!url || url->scheme() != "http") {
        return false;
    }
    auto client = HttpClient::create("http://" + std::string(url->encoded_host_and_port()),
                                     std::chrono::seconds(10));
    if (!client) {
        return false;
    }
    std::string prefix(url->encoded_path());
    while (prefix.ends_with('/')) {
        prefix.pop_back();
    }
    for (const auto& path : purge.paths) {
        const auto answer = client->send("GET", prefix + path, "", "", "");
        // The edge refetched the path and stored the origin's answer over its copy: the
        // current image (2xx), or the 404/410 of one that is gone.
        const bool refreshed = answer && ((answer->status >= 200 && answer->status < 300) ||
                                          answer->status == 404 || answer->status == 410);
        if (!refreshed) {
            failed_[index]->Increment();
            log::warn("edge did not take a purge",
                      {{"edge", edges_[index].name},
                       {"path", path},
                       {"result",
                        answer ? std::to_string(answer->status) : answer.error().public_message}});
            return false;
        }
        acknowledged_[index]->Increment();
    }
    return true;
}

void PurgeFanout::send_forever(std::size_t index) {
    const std::string& edge = edges_[index].name;
    auto retry = std::chrono::milliseconds(kFirstRetry);
    while (true) {
        std::uint64_t seen = 0;
        {
            const std::lock_guard lock(mutex_);
            seen = generation_;
        }
        const auto pending = journal_.pending(edge);
        pending_[index]->Set(static_cast<double>(pending.size()));
        bool delivered_all = true;
        for (const auto& purge : pending) {
            if (!deliver(index, purge)) {
                delivered_all = false;
                break;
            }
            if (!journal_.done(purge)) {
                delivered_all = false;
                break;
            }
        }
        std::chrono::milliseconds wait = kIdleLook;
        if (delivered_all) {
            retry = kFirstRetry;
            std::unique_lock lock(mutex_);
            if (generation_ == seen) {
                caught_up_[index]->store(true);
                pending_[index]->Set(0);
            }
        } else {
            wait = retry;
            retry = std::min(retry * 2, std::chrono::milliseconds(kLongestRetry));
        }
        std::unique_lock lock(mutex_);
        if (wake_.wait_for(lock, wait, [&] { return stopping_ || generation_ != seen; })) {
            if (stopping_) {
                return;
            }
        }
    }
}

}  // namespace imgline::server
