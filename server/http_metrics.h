#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace prometheus {
class Registry;
class Gauge;
class Counter;
template <class T>
class Family;
class Histogram;
}  // namespace prometheus

namespace imgline::server {

/// The server's own Prometheus series. Other modules register theirs on the same registry.
///   imgline_http_requests_total{route,status}
///   imgline_http_request_duration_seconds{route}   (histogram)
///   imgline_http_requests_in_flight
///   imgline_http_open_connections
///   imgline_http_connections_rejected_total
///   imgline_worker_queue_depth, imgline_worker_busy, imgline_worker_threads
class HttpMetrics {
public:
    explicit HttpMetrics(std::shared_ptr<prometheus::Registry> registry);

    /// One finished request. Thread-safe.
    void observe(std::string_view route, int status, double seconds);

    prometheus::Gauge& in_flight;
    prometheus::Gauge& open_connections;
    prometheus::Counter& connections_rejected;
    prometheus::Gauge& queue_depth;
    prometheus::Gauge& workers_busy;
    prometheus::Gauge& worker_threads;

    /// Prometheus text format (0.0.4) of everything on the registry.
    std::string serialize() const;

    const std::shared_ptr<prometheus::Registry>& registry() const {
        return registry_;
    }

private:
    std::shared_ptr<prometheus::Registry> registry_;
    prometheus::Family<prometheus::Counter>& requests_;
    prometheus::Family<prometheus::Histogram>& durations_;
};

}  // namespace imgline::server
