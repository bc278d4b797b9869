#pragma once

#include "app/edge_http.h"
#include "app/edge_workers.h"
#include "cdn/edge_choice.h"
#include "config/config.h"

#include <atomic>
#include <memory>
#include <vector>

namespace prometheus {
class Registry;
class Gauge;
}  // namespace prometheus

namespace imgline::app {

/// Polls each edge's health_url in the background (one thread per edge, every
/// carriers.health_interval, each poll bounded by health_timeout) and keeps whether it is in the
/// rotation: out after health_fall failed polls in a row, back after health_rise good ones
/// (cdn::HealthState). A poll is good on any 2xx. Edges without a health_url are always up.
/// Exposes imgline_edge_up{edge} and logs every change.
class EdgeHealth {
public:
    EdgeHealth(std::vector<config::EdgeConfig> edges,
               const config::CarriersConfig& settings,
               HttpGet get,
               prometheus::Registry& registry);

    /// Starts the pollers (idempotent).
    void start();

    /// One flag per configured edge, in configuration order.
    std::vector<bool> healthy() const;

private:
    void poll(std::size_t index);

    std::vector<config::EdgeConfig> edges_;
    config::CarriersConfig settings_;
    HttpGet get_;
    std::vector<std::unique_ptr<std::atomic<bool>>> up_;
    std::vector<cdn::HealthState> states_;
    std::vector<prometheus::Gauge*> gauges_;
    EdgeWorkers pollers_;  // last: stopped before what the polls use
};

}  // namespace imgline::app
