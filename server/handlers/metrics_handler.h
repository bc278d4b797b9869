#pragma once

#include "server/router.h"

namespace imgline::server {

class Server;

/// GET /metrics: every series on the server's Prometheus registry, in text format 0.0.4.
Route metrics_route(Server& server);

}  // namespace imgline::server
