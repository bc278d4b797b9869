#pragma once

#include <vector>

#include "config/config.h"
#include "server/auth.h"
#include "server/router.h"
#include "storage/local_store.h"

namespace imgline::server {

class Server;

/// The long-lived parts the handlers work with; owned by whoever runs the server.
struct Services {
    storage::LocalStore& store;
    const Authenticator& auth;
};

/// The routing table of `imgline serve`, every route in one place.
std::vector<Route> all_routes(Server& server, const config::Config& config,
                              const Services& services);

}  // namespace imgline::server
