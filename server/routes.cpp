#include "server/routes.h"

#include "app/rendition_service.h"
#include "cdn/signed_url.h"
#include "server/handlers/admin_handler.h"
#include "server/handlers/brand_handler.h"
#include "server/handlers/console_handler.h"
#include "server/handlers/health_handler.h"
#include "server/handlers/image_handler.h"
#include "server/handlers/metrics_handler.h"
#include "server/handlers/originals_handler.h"
#include "server/handlers/party_handler.h"
#include "server/handlers/product_handler.h"
#include "server/handlers/steering_handler.h"
#include "server/server.h"

namespace imgline::server {

namespace {

void append(std::vector<Route>& routes, std::vector<Route> more) {
    for (auto& route : more) {
        routes.push_back(std::move(route));
    }
}

}  // namespace

std::vector<Route> all_routes(Server& server,
                              const config::Config& config,
                              app::Services& services,
                              std::function<boost::json::object()> reload_config) {
    std::vector<Route> routes{
        healthz_route(),
        readyz_route(server, config.storage.data_dir, services.store, services.carriers),
        metrics_route(server),
    };
    const app::RenditionService renditions(
        {config, services.store, services.cache, services.coalescer, services.image_metrics,
         services.mezzanines, server.workers(), services.prerenders, services.demand});
    // The version each preset's URLs carry under this configuration, worked out once.
    const auto preset_versions = std::make_shared<const app::PresetVersions>(config);
    std::function<void(const std::string&)> on_stored;
    if (config.storage.prerender) {
        on_stored = [renditions](const std::string& id) { renditions.prerender(id); };
    }
    append(routes, originals_routes({config, services.store, services.auth, services.purges,
                                     services.mezzanines, services.products, services.versions,
                                     preset_versions, on_stored}));
    append(routes, product_routes({config, services.products, services.auth}));
    append(routes, party_routes(services.auth));
    append(routes, console_routes());
    append(routes, brand_routes({config, services.store, services.auth}));
    append(routes, steering_routes({config, services.store, services.carriers, services.edge_health,
                                    services.purges, services.trusted_proxies, services.products,
                                    preset_versions, services.steered}));
    append(routes, admin_routes({config, services.auth, services.carriers, services.purges,
                                 services.versions, reload_config, services.rerenderer, renditions,
                                 services.store, services.demand}));
    append(routes, image_routes({config, renditions, cdn::parse_signing_keys(config.signing.keys),
                                 cdn::AddressSet(config.server.image_clients), preset_versions,
                                 services.products, server.workers()}));
    return routes;
}

}  // namespace imgline::server
