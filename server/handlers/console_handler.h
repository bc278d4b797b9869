#pragma once

#include "server/router.h"

#include <vector>

namespace imgline::server {

/// The console, a web page for suppliers and shops built into the binary (web/console/):
///   GET /                               302 to /console
///   GET /console                        the page (no-cache: it names the current assets)
///   GET /console/assets/{version}/{file}  its scripts and styles; cached for a year when
///                                       `version` is the current one (a hash of them all)
/// Every answer carries a strict Content-Security-Policy (nothing from other origins, no inline
/// script or style), frame-ancestors 'none' and nosniff. The page uses only the public API.
std::vector<Route> console_routes();

}  // namespace imgline::server
