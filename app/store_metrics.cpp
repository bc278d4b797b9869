#include "app/store_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace imgline::app {

storage::s3::StoreObserver store_metrics(prometheus::Registry& registry) {
    auto& requests = prometheus::BuildCounter()
                         .Name("imgline_store_requests_total")
                         .Help("Requests to the object store, by operation and how they ended")
                         .Register(registry);
    auto& durations = prometheus::BuildHistogram()
                          .Name("imgline_store_request_duration_seconds")
                          .Help("Object store request latency, retries included, by operation")
                          .Register(registry);
    return [&requests, &durations](std::string_view operation, std::string_view result,
                                   double seconds) {
        static const prometheus::Histogram::BucketBoundaries kBuckets{
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
        requests.Add({{"operation", std::string(operation)}, {"result", std::string(result)}})
            .Increment();
        durations.Add({{"operation", std::string(operation)}}, kBuckets).Observe(seconds);
    };
}

}  // namespace imgline::app
