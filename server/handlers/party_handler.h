#pragma once

#include "app/auth.h"
#include "server/router.h"

#include <vector>

namespace imgline::server {

/// Routes about the caller's own party (any party's key):
///   GET /v1/whoami   {"name","kind","brand","may":{"upload","see_all_parties"}}: who the key
///                    belongs to and what it may do (the console greets the user with it)
std::vector<Route> party_routes(const app::Authenticator& auth);

}  // namespace imgline::server
