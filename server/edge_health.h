#pragma once

#include "config/config.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace prometheus {
class Registry;
class Gauge;
}  // namespace prometheus

namespace imgline::server {

/// Polls each edge's health_url in the background (one thread per edge, every
/// carriers.health_interval, each poll bounded by health_timeout) and keeps whether it is in the
/// rotation: out after health_fall failed polls in a row, back after health_rise good ones
/// (cdn::HealthState). A poll is good on any 2xx. Edges without a health_url are always up.
/// Exposes imgline_edge_up{edge} and logs every change.
class EdgeHealth {
public:
    EdgeHealth(std::vector<config::EdgeConfig> edges,
               const config::CarriersConfig& settings,
               prometheus::Registry& registry);
    ~EdgeHealth();

    EdgeHealth(const EdgeHealth&) = delete;
    EdgeHealth& operator=(const EdgeHealth&) = delete;

    /// Starts the pollers (idempotent).
    void start();

    /// One flag per configured edge, in configuration order.
    std::vector<bool> healthy() const;

private:
    void poll_forever(std::size_t index);

    std::vector<config::EdgeConfig> edges_;
    config::CarriersConfig settings_;
    std::vector<std::unique_ptr<std::atomic<bool>>> up_;
    std::vector<prometheus::Gauge*> gauges_;
    std::vector<std::thread> pollers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
};

}  // namespace imgline::server
