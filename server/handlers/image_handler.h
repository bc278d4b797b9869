#pragma once

#include "cdn/signed_url.h"
#include "config/config.h"
#include "server/image_metrics.h"
#include "server/render_coalescer.h"
#include "server/router.h"
#include "server/worker_pool.h"
#include "storage/local_store.h"
#include "storage/rendition_cache.h"

#include <vector>

namespace imgline::server {

/// What the public image routes need; all of it outlives the server.
struct ImageContext {
    const config::Config& config;
    storage::LocalStore& store;
    storage::RenditionCache& cache;
    RenderCoalescer& coalescer;
    WorkerPool& workers;
    ImageMetrics& metrics;
    /// Keys for /t/ signed transforms; none: the route does not exist.
    std::vector<cdn::SigningKey> signing_keys;
    /// cdn::brands_fingerprint(config), in the keys of presets with brand_fixes.
    std::string brands_fingerprint;
};

/// GET|HEAD /i/{id}/{preset}.{jpg,webp,avif,png}   the rendition in the URL's format
/// GET|HEAD /i/{id}/{preset}                         the format negotiated from Accept
/// GET|HEAD /t/{signature}/{options...}/{id}.{fmt}   a signed ad-hoc transform (when keys exist)
/// Public (presets only). If-None-Match answers 304 before anything is read; memory-cache
/// hits answer on the I/O thread; everything else renders on the worker pool, with concurrent
/// requests for one missing rendition sharing a single render.
std::vector<Route> image_routes(const ImageContext& context);

}  // namespace imgline::server
