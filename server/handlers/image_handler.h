#pragma once

#include "app/product_slots.h"
#include "app/rendition_address.h"
#include "app/rendition_service.h"
#include "cdn/signed_url.h"
#include "cdn/viewer_address.h"
#include "config/config.h"
#include "server/router.h"

#include <vector>

namespace imgline::server {

/// What the public image routes need; all of it outlives the server.
struct ImageContext {
    const config::Config& config;
    app::RenditionService renditions;
    /// Keys for /t/ signed transforms; none: the route does not exist.
    std::vector<cdn::SigningKey> signing_keys;
    /// Who may fetch images (server.image_clients); empty: anyone.
    cdn::AddressSet image_clients;
    /// The presets' versions under `config`, worked out once.
    std::shared_ptr<const app::PresetVersions> preset_versions;
    /// What product slots show (/p/ URLs), and the pool a slot not remembered is read on.
    const app::ProductSlots& slots;
    WorkerPool& lookups;
};

/// GET|HEAD /i/{id}/{preset}.{jpg,webp,avif,png}   the rendition in the URL's format
/// GET|HEAD /i/{id}/{preset}                         the format negotiated from Accept
/// GET|HEAD /t/{signature}/{options...}/{id}.{fmt}   a signed ad-hoc transform (when keys exist)
/// GET|HEAD /p/{owner}/{sku}/{slot}/{preset}[.{ext}] what the owner's product slot shows now,
///          as the image (or a 302 to its /i/ URL) cacheable for products.slot_max_age
/// Public (presets only), or for server.image_clients alone when that is set (403 for others).
/// If-None-Match answers 304 before anything is read; memory-cache hits answer on the I/O thread;
/// everything else renders on the worker pool, with concurrent requests for one missing rendition
/// sharing a single render.
std::vector<Route> image_routes(const ImageContext& context);

}  // namespace imgline::server
