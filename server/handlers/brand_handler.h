#pragma once

#include "app/auth.h"
#include "config/config.h"
#include "server/router.h"
#include "storage/original_store.h"

#include <vector>

namespace imgline::server {

/// What the brand-check API needs; all of it outlives the server.
struct BrandContext {
    const config::Config& config;
    const storage::OriginalStore& store;
    const app::Authenticator& auth;
};

/// The brand-check API (docs/http-api.md, docs/brand-presets.md):
///   POST /v1/check?brand=&role=       check a photo (raw body) without storing it
///   GET  /v1/originals/{id}/report    the report made when the original was uploaded
/// Both need an API key; a report is shown to its owner or an admin.
std::vector<Route> brand_routes(const BrandContext& context);

}  // namespace imgline::server
