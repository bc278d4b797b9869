#pragma once

#include "app/carrier_directory.h"
#include "app/edge_health.h"
#include "app/product_slots.h"
#include "app/purge_fanout.h"
#include "app/rendition_address.h"
#include "cdn/viewer_address.h"
#include "config/config.h"
#include "server/router.h"
#include "storage/original_store.h"

#include <vector>

namespace prometheus {
class Counter;
template <class T>
class Family;
}  // namespace prometheus

namespace imgline::server {

/// What steering needs; all of it outlives the server.
struct SteeringContext {
    const config::Config& config;
    const storage::OriginalStore& store;
    const app::CarrierDirectory& carriers;
    const app::EdgeHealth& health;
    const app::PurgeFanout& purges;
    const cdn::AddressSet& trusted;
    const app::ProductSlots& slots;
    /// The presets' versions under `config` (the URLs handed out carry them).
    std::shared_ptr<const app::PresetVersions> preset_versions;
    /// imgline_steering_total{carrier,reason}
    prometheus::Family<prometheus::Counter>& steered;
};

/// Carrier-aware delivery (docs/carriers-and-edges.md):
///   GET /go/{id}/{preset}[.fmt]   302 to the rendition on an edge of the viewer's carrier
///   GET /go/p/{owner}/{sku}/{slot}/{preset}[.fmt]   the same for a product slot's URL
///   GET /v1/embed/{id}            URLs per preset and format on that edge, and a <picture>
///   GET /v1/embed/sku/{owner}/{sku}   the same for every slot of a product (?slot= for one),
///                                     with slot URLs, which follow reshoots
/// All public, `Cache-Control: private, no-store` (the answer depends on the viewer); all take
/// ?carrier= to ask for a line (a storefront's server rendering for its shopper).
std::vector<Route> steering_routes(const SteeringContext& context);

}  // namespace imgline::server
