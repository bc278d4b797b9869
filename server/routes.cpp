#include "server/routes.h"

#include "cdn/cache_policy.h"
#include "server/handlers/admin_handler.h"
#include "server/handlers/brand_handler.h"
#include "server/handlers/health_handler.h"
#include "server/handlers/image_handler.h"
#include "server/handlers/metrics_handler.h"
#include "server/handlers/originals_handler.h"
#include "server/handlers/steering_handler.h"
#include "server/server.h"

namespace imgline::server {

std::vector<Route> all_routes(Server& server, const config::Config& config, Services& services) {
    std::vector<Route> routes{
        healthz_route(),
        readyz_route(server, config.storage.data_dir),
        metrics_route(server),
    };
    for (auto& route : originals_routes({config, services.store, services.auth})) {
        routes.push_back(std::move(route));
    }
    for (auto& route : brand_routes({config, services.store, services.auth})) {
        routes.push_back(std::move(route));
    }
    for (auto& route :
         steering_routes({config, services.store, services.carriers, services.edge_health,
                          services.trusted_proxies, services.steered})) {
        routes.push_back(std::move(route));
    }
    for (auto& route : admin_routes({services.auth, services.carriers})) {
        routes.push_back(std::move(route));
    }
    for (auto& route :
         image_routes({config, services.store, services.cache, services.coalescer, server.workers(),
                       services.image_metrics, cdn::parse_signing_keys(config.signing.keys),
                       cdn::brands_fingerprint(config)})) {
        routes.push_back(std::move(route));
    }
    return routes;
}

}  // namespace imgline::server
