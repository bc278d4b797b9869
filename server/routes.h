#pragma once

#include "app/services.h"
#include "config/config.h"
#include "server/router.h"

#include <functional>
#include <vector>

#include <boost/json/object.hpp>

namespace imgline::server {

class Server;

/// The routing table of `imgline serve`, every route in one place. `reload_config` is what
/// POST /v1/admin/reload does besides reloading the carrier lists (server::ConfigReloader);
/// none: only those.
std::vector<Route> all_routes(Server& server,
                              const config::Config& config,
                              app::Services& services,
                              std::function<boost::json::object()> reload_config = {});

}  // namespace imgline::server
