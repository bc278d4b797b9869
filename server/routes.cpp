#include "server/routes.h"

#include "server/handlers/health_handler.h"
#include "server/handlers/metrics_handler.h"

namespace imgline::server {

std::vector<Route> all_routes(Server& server, const config::Config& config) {
    return {
        healthz_route(),
        readyz_route(server, config.storage.data_dir),
        metrics_route(server),
    };
}

}  // namespace imgline::server
