#pragma once

#include "storage/s3/s3_client.h"

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace imgline::app {

/// Object store series on `registry`, fed by what the store client reports of each request:
///   imgline_store_requests_total{operation,result}   put, get, head, delete, list, multipart;
///                                                    ok, not_found, error, unreachable
///   imgline_store_request_duration_seconds{operation} latency, retries included (histogram)
storage::s3::StoreObserver store_metrics(prometheus::Registry& registry);

}  // namespace imgline::app
