#pragma once

#include "common/expected.h"
#include "config/config.h"
#include "server/auth.h"
#include "server/image_metrics.h"
#include "server/render_coalescer.h"
#include "storage/local_store.h"
#include "storage/rendition_cache.h"

#include <memory>

namespace prometheus {
class Registry;
}

namespace imgline::server {

/// The long-lived parts the handlers share: the originals store, the keys, the rendition
/// caches, render coalescing and their metrics. Made once by whoever runs the server and kept
/// until it has stopped.
struct Services {
    storage::LocalStore store;
    Authenticator auth;
    storage::RenditionCache cache;
    RenderCoalescer coalescer;
    ImageMetrics image_metrics;

    /// Opens the store under storage.data_dir (removing leftover temporaries) and the disk
    /// cache under <data_dir>/cache; registers the metrics on `registry`.
    static Expected<std::unique_ptr<Services>> create(const config::Config& config,
                                                      prometheus::Registry& registry);

private:
    Services(storage::LocalStore opened,
             const config::Config& config,
             prometheus::Registry& registry);
};

}  // namespace imgline::server
