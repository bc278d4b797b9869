#pragma once

#include "app/services.h"
#include "config/config.h"
#include "server/router.h"

#include <vector>

namespace imgline::server {

class Server;

/// The routing table of `imgline serve`, every route in one place.
std::vector<Route> all_routes(Server& server,
                              const config::Config& config,
                              app::Services& services);

}  // namespace imgline::server
