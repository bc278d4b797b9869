#pragma once

#include "app/auth.h"
#include "app/carrier_directory.h"
#include "app/purge_fanout.h"
#include "app/rendition_service.h"
#include "app/rerenderer.h"
#include "app/version_history.h"
#include "config/config.h"
#include "server/router.h"

#include <functional>
#include <vector>

#include <boost/json/object.hpp>

namespace imgline::server {

/// What the admin API needs; all of it outlives the server.
struct AdminContext {
    const config::Config& config;
    const app::Authenticator& auth;
    app::CarrierDirectory& carriers;
    app::PurgeFanout& purges;
    const app::VersionHistory& versions;
    /// Reloads what a running server can take from its configuration file (presets, brands,
    /// products) and answers what changed; none: only the carrier lists are reloaded.
    std::function<boost::json::object()> reload_config;
    /// Re-renders ahead of viewers after a style change, with the service of `config`.
    app::Rerenderer& rerenderer;
    app::RenditionService renditions;
    const storage::OriginalStore& store;
    const app::RenditionDemand& demand;
};

/// Admin routes (admin key):
///   POST /v1/admin/reload   reloads the carrier lists and the configuration (as SIGHUP does)
///                           and answers what was loaded: {"reloaded","prefixes","intervals",
///                           "ms","problems":[…],"config":{…ConfigReloader::reload()}}; 422
///                           when the configuration has problems (nothing of it is taken)
///   POST /v1/admin/rerender?presets=a,b[&per_second=2][&all=true]   starts re-rendering those
///                           presets' renditions in the background, most asked first: 202
///                           with the job's progress (409 while one runs)
///   GET  /v1/admin/rerender the job's progress ({"state": "idle" | "running" | "done", …})
///   POST /v1/purge?id=ID    purges every rendition of ID at every edge (journalled, then sent
///                           in the background): 202 {"id","paths","edges"}
std::vector<Route> admin_routes(const AdminContext& context);

}  // namespace imgline::server
