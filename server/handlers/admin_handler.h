#pragma once

#include "app/auth.h"
#include "app/carrier_directory.h"
#include "app/purge_fanout.h"
#include "config/config.h"
#include "server/router.h"

#include <vector>

namespace imgline::server {

/// What the admin API needs; all of it outlives the server.
struct AdminContext {
    const config::Config& config;
    const app::Authenticator& auth;
    app::CarrierDirectory& carriers;
    app::PurgeFanout& purges;
};

/// Admin routes (admin key):
///   POST /v1/admin/reload   reloads the carrier lists (as SIGHUP does) and answers what was
///                           loaded: {"reloaded","prefixes","intervals","ms","problems":[…]}
///   POST /v1/purge?id=ID    purges every rendition of ID at every edge (journalled, then sent
///                           in the background): 202 {"id","paths","edges"}
std::vector<Route> admin_routes(const AdminContext& context);

}  // namespace imgline::server
