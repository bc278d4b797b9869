#include "app/edge_health.h"

#include "common/log.h"

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace imgline::app {

EdgeHealth::EdgeHealth(std::vector<config::EdgeConfig> edges,
                       const config::CarriersConfig& settings,
                       HttpGet get,
                       prometheus::Registry& registry)
    : edges_(std::move(edges)), settings_(settings), get_(std::move(get)) {
    auto& family = prometheus::BuildGauge()
                       .Name("imgline_edge_up")
                       .Help("1 while an edge is in the rotation (its health checks pass)")
                       .Register(registry);
    for (const auto& edge : edges_) {
        up_.push_back(std::make_unique<std::atomic<bool>>(true));
        states_.emplace_back(settings_.health_rise, settings_.health_fall);
        gauges_.push_back(&family.Add({{"edge", edge.name}}));
        gauges_.back()->Set(1);
    }
}

void EdgeHealth::start() {
    std::vector<std::size_t> polled;
    for (std::size_t i = 0; i < edges_.size(); ++i) {
        if (!edges_[i].health_url.empty()) {
            polled.push_back(i);
        }
    }
    pollers_.start(polled, [this](std::size_t index) {
        poll(index);
        return std::chrono::duration_cast<std::chrono::milliseconds>(settings_.health_interval);
    });
}

std::vector<bool> EdgeHealth::healthy() const {
    std::vector<bool> flags;
    flags.reserve(up_.size());
    for (const auto& up : up_) {
        flags.push_back(up->load(std::memory_order_relaxed));
    }
    return flags;
}

void EdgeHealth::poll(std::size_t index) {
    const config::EdgeConfig& edge = edges_[index];
    const auto status = get_(edge.health_url, settings_.health_timeout);
    const bool ok = status && *status >= 200 && *status < 300;
    cdn::HealthState& state = states_[index];
    if (!state.record(ok)) {
        return;
    }
    up_[index]->store(state.up());
    gauges_[index]->Set(state.up() ? 1 : 0);
    if (state.up()) {
        log::info("edge back in rotation", {{"edge", edge.name}});
    } else {
        log::warn("edge out of rotation: health checks fail",
                  {{"edge", edge.name}, {"health_url", edge.health_url}});
    }
}

}  // namespace imgline::app
