#include "server/edge_health.h"

#include "cdn/edge_choice.h"
#include "common/log.h"
#include "server/http_client.h"

#include <boost/url/parse.hpp>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace imgline::server {
namespace {

// GET health_url within `timeout`; true on 2xx.
bool poll_once(const std::string& url, std::chrono::milliseconds timeout) {
    const auto parsed = boost::urls::parse_uri(url);
    if (!parsed || parsed->scheme() != "http") {
        return false;
    }
    const std::string base = "http://" + std::string(parsed->encoded_host_and_port());
    std::string target = std::string(parsed->encoded_path());
    if (target.empty()) {
        target = "/";
    }
    if (parsed->has_query()) {
        target += "?" + std::string(parsed->encoded_query());
    }
    auto client = HttpClient::create(
        base, std::max(std::chrono::seconds(1),
                       std::chrono::duration_cast<std::chrono::seconds>(timeout)));
    if (!client) {
        return false;
    }
    const auto answer = client->send("GET", target, "", "", "");
    return answer && answer->status >= 200 && answer->status < 300;
}

}  // namespace

EdgeHealth::EdgeHealth(std::vector<config::EdgeConfig> edges,
                       const config::CarriersConfig& settings,
                       prometheus::Registry& registry)
    : edges_(std::move(edges)), settings_(settings) {
    auto& family = prometheus::BuildGauge()
                       .Name("imgline_edge_up")
                       .Help("1 while an edge is in the rotation (its health checks pass)")
                       .Register(registry);
    for (const auto& edge : edges_) {
        up_.push_back(std::make_unique<std::atomic<bool>>(true));
        gauges_.push_back(&family.Add({{"edge", edge.name}}));
        gauges_.back()->Set(1);
    }
}

EdgeHealth::~EdgeHealth() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& poller : pollers_) {
        poller.join();
    }
}

void EdgeHealth::start() {
    const std::lock_guard lock(mutex_);
    if (!pollers_.empty()) {
        return;
    }
    for (std::size_t i = 0; i < edges_.size(); ++i) {
        if (!edges_[i].health_url.empty()) {
            pollers_.emplace_back([this, i] { poll_forever(i); });
        }
    }
}

std::vector<bool> EdgeHealth::healthy() const {
    std::vector<bool> flags;
    flags.reserve(up_.size());
    for (const auto& up : up_) {
        flags.push_back(up->load(std::memory_order_relaxed));
    }
    return flags;
}

void EdgeHealth::poll_forever(std::size_t index) {
    const config::EdgeConfig& edge = edges_[index];
    cdn::HealthState state(settings_.health_rise, settings_.health_fall);
    while (true) {
        const bool ok = poll_once(edge.health_url, settings_.health_timeout);
        if (state.record(ok)) {
            up_[index]->store(state.up());
            gauges_[index]->Set(state.up() ? 1 : 0);
            if (state.up()) {
                log::info("edge back in rotation", {{"edge", edge.name}});
            } else {
                log::warn("edge out of rotation: health checks fail",
                          {{"edge", edge.name}, {"health_url", edge.health_url}});
            }
        }
        std::unique_lock lock(mutex_);
        if (wake_.wait_for(lock, settings_.health_interval, [this] { return stopping_; })) {
            return;
        }
    }
}

}  // namespace imgline::server
