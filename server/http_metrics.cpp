#include "server/http_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace imgline::server {
namespace {

prometheus::Gauge& gauge(prometheus::Registry& registry,
                         const std::string& name,
                         const std::string& help) {
    return prometheus::BuildGauge().Name(name).Help(help).Register(registry).Add({});
}

}  // namespace

HttpMetrics::HttpMetrics(std::shared_ptr<prometheus::Registry> registry)
    : in_flight(gauge(
          *registry, "imgline_http_requests_in_flight", "Requests received and not yet answered")),
      open_connections(
          gauge(*registry, "imgline_http_open_connections", "Client connections open now")),
      connections_rejected(prometheus::BuildCounter()
                               .Name("imgline_http_connections_rejected_total")
                               .Help("Connections answered 503 because max_connections was reached")
                               .Register(*registry)
                               .Add({})),
      queue_depth(gauge(*registry, "imgline_worker_queue_depth", "Jobs waiting for a worker")),
      workers_busy(gauge(*registry, "imgline_worker_busy", "Workers running a job now")),
      worker_threads(gauge(*registry, "imgline_worker_threads", "Worker threads")),
      registry_(std::move(registry)),
      requests_(prometheus::BuildCounter()
                    .Name("imgline_http_requests_total")
                    .Help("HTTP requests answered, by route and status")
                    .Register(*registry_)),
      durations_(prometheus::BuildHistogram()
                     .Name("imgline_http_request_duration_seconds")
                     .Help("Time from the end of the request header to the response, by route")
                     .Register(*registry_)) {}

void HttpMetrics::observe(std::string_view route, int status, double seconds) {
    const std::string route_label(route);
    requests_.Add({{"route", route_label}, {"status", std::to_string(status)}}).Increment();
    static const prometheus::Histogram::BucketBoundaries kBuckets{
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    durations_.Add({{"route", route_label}}, kBuckets).Observe(seconds);
}

std::string HttpMetrics::serialize() const {
    return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace imgline::server
