#pragma once

#include "cdn/signed_url.h"
#include "config/config.h"
#include "server/image_metrics.h"
#include "server/mezzanine_keeper.h"
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
    /// The background thread pre-renders run on.
    WorkerPool& prerenders;
    /// Back-fills the mezzanines of originals a render finds without them (on `prerenders`).
    MezzanineKeeper& mezzanines;
};

/// GET|HEAD /i/{id}/{preset}.{jpg,webp,avif,png}   the rendition in the URL's format
/// GET|HEAD /i/{id}/{preset}                         the format negotiated from Accept
/// GET|HEAD /t/{signature}/{options...}/{id}.{fmt}   a signed ad-hoc transform (when keys exist)
/// Public (presets only). If-None-Match answers 304 before anything is read; memory-cache
/// hits answer on the I/O thread; everything else renders on the worker pool, with concurrent
/// requests for one missing rendition sharing a single render.
std::vector<Route> image_routes(const ImageContext& context);

/// Queues the renders of every preset of `id` in each of its formats on the background thread,
/// each skipped if it is cached by the time its turn comes (or joined by viewers who ask for it
/// meanwhile). Returns how many were queued; the rest were dropped on a full queue.
std::size_t prerender(const ImageContext& context, const std::string& id);

}  // namespace imgline::server
