#pragma once

#include "app/auth.h"
#include "app/product_slots.h"
#include "config/config.h"
#include "server/router.h"

#include <vector>

namespace imgline::server {

/// What the products API needs; all of it outlives the server.
struct ProductsContext {
    const config::Config& config;
    app::ProductSlots& slots;
    const app::Authenticator& auth;
};

/// The products API (docs/http-api.md, "Products and slots"):
///   GET    /v1/products/{sku}                the slots of a SKU, current and earlier originals,
///                                            and each slot's URLs (?owner=; any party reads)
///   PUT    /v1/products/{sku}/slots/{slot}   {"id": "<original>"}: point the slot at one of the
///                                            owner's originals (owner or admin)
///   DELETE /v1/products/{sku}/slots/{slot}   empty the slot (owner or admin)
/// A change purges the slot's URLs on every edge.
std::vector<Route> product_routes(const ProductsContext& context);

/// A slot's URL per preset under `base` (formats negotiated): {"main": "https://…/p/…/main"}.
boost::json::object slot_urls(const config::Config& config,
                              std::string_view owner,
                              std::string_view sku,
                              std::string_view slot,
                              const std::string& base);

/// The JSON of a product as the API shows it: each slot with its role, current original,
/// earlier originals (newest first) and its URLs per preset under `base`.
boost::json::object product_json(const config::Config& config,
                                 const storage::Product& product,
                                 const std::string& base);

}  // namespace imgline::server
