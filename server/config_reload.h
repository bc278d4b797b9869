#pragma once

#include "app/services.h"
#include "config/config.h"
#include "config/load_config.h"
#include "server/router.h"

#include <deque>
#include <functional>
#include <mutex>

#include <boost/json/object.hpp>

namespace imgline::server {

class Server;

/// Takes a changed configuration file into a running server: the presets (with the versions in
/// their URLs), the brands and [products]; every other setting needs a restart and is reported
/// so. reload() reads the configuration again the way the server was started (file,
/// environment, command line), rebuilds every route on the new settings and swaps them in;
/// requests in flight finish on the old ones. Renditions of removed presets leave the memory
/// cache. Each configuration is kept for the life of the process (routes and their work refer to
/// it; reloads are rare). Thread-safe.
class ConfigReloader {
public:
    ConfigReloader(config::Config initial,
                   std::function<config::LoadResult()> load_again,
                   app::Services& services);

    /// The configuration in use now.
    const config::Config& current() const;

    /// The routes for the configuration in use (all_routes, with this reloader behind
    /// POST /v1/admin/reload). Call once to create the server; reload() makes the later ones.
    std::vector<Route> routes(Server& server);

    /// Reloads and answers what happened: {"reloaded", "problems", "presets": {"added",
    /// "removed", "renamed", "changed"}, "brands_changed", "products_changed",
    /// "restart_needed", "renditions_dropped"}. A configuration with problems changes nothing.
    boost::json::object reload();

private:
    std::function<config::LoadResult()> load_again_;
    app::Services& services_;
    Server* server_ = nullptr;
    mutable std::mutex mutex_;
    std::deque<config::Config> configs_;  // the last one is in use; addresses never move
};

}  // namespace imgline::server
