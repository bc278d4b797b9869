#pragma once

#include "server/auth.h"
#include "server/carrier_directory.h"
#include "server/router.h"

#include <vector>

namespace imgline::server {

/// What the admin API needs; all of it outlives the server.
struct AdminContext {
    const Authenticator& auth;
    CarrierDirectory& carriers;
};

/// POST /v1/admin/reload (admin key): reloads the carrier lists (as SIGHUP does) and answers
/// what was loaded: {"reloaded","prefixes","intervals","ms","problems":[…]}.
std::vector<Route> admin_routes(const AdminContext& context);

}  // namespace imgline::server
