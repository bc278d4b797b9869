#pragma once

#include "app/auth.h"
#include "app/carrier_directory.h"
#include "app/edge_health.h"
#include "app/edge_http.h"
#include "app/image_metrics.h"
#include "app/mezzanine_keeper.h"
#include "app/product_slots.h"
#include "app/purge_fanout.h"
#include "app/render_coalescer.h"
#include "app/rendition_demand.h"
#include "app/rerenderer.h"
#include "app/version_history.h"
#include "cdn/viewer_address.h"
#include "common/expected.h"
#include "common/worker_pool.h"
#include "config/config.h"
#include "storage/original_store.h"
#include "storage/product_store.h"
#include "storage/purge_journal.h"
#include "storage/rendition_cache.h"
#include "storage/s3/object_http.h"

#include <memory>

namespace prometheus {
class Registry;
class Counter;
template <class T>
class Family;
}  // namespace prometheus

namespace imgline::app {

/// The long-lived parts the handlers share: the originals store, the keys, the rendition
/// caches, render coalescing and their metrics, the carrier table, edge health and trusted
/// proxies. Made once by whoever runs the server and kept until it has stopped.
struct Services {
    /// The originals: a local disk or an S3-compatible store (storage.kind).
    std::unique_ptr<storage::OriginalStore> owned_store;
    storage::OriginalStore& store;
    Authenticator auth;
    storage::RenditionCache cache;
    RenderCoalescer coalescer;
    ImageMetrics image_metrics;
    CarrierDirectory carriers;
    cdn::AddressSet trusted_proxies;
    EdgeHealth edge_health;
    /// Purges owed to edges: on the local disk, or in the object store shared by every origin.
    std::unique_ptr<storage::PurgeJournal> purge_journal;
    PurgeFanout purges;
    /// Products and their slots (beside the originals), and what slot URLs show.
    std::unique_ptr<storage::ProductStore> product_store;
    ProductSlots products;
    /// The versions preset URLs carried before (a delete purges edges' copies under them).
    VersionHistory versions;
    prometheus::Family<prometheus::Counter>& steered;
    MezzanineKeeper mezzanines;
    /// What viewers ask for, most asked first (re-renders start there).
    RenditionDemand demand;
    /// One background thread for pre-rendering new uploads (storage.prerender), stopped after
    /// the re-renderer (whose renders may queue mezzanine back-fills on it) and before anything
    /// else its jobs use.
    WorkerPool prerenders;
    /// Re-renders after a style change (POST /v1/admin/rerender); last, so it stops first.
    Rerenderer rerenderer;

    /// Where originals, purges and products are kept, opened by open_storage().
    struct Storage {
        std::unique_ptr<storage::OriginalStore> store;
        std::unique_ptr<storage::PurgeJournal> purge_journal;
        std::unique_ptr<storage::ProductStore> products;
    };

    /// Opens the originals store (storage.kind: under storage.data_dir, removing leftover
    /// temporaries; or the S3-compatible store, reached with `object_http`) and the disk cache
    /// under <data_dir>/cache, loads the carrier lists (problems are logged), starts the edge
    /// health checks, and registers the metrics on `registry`. Edge health checks and purges
    /// reach the edges with `get`.
    static Expected<std::unique_ptr<Services>> create(const config::Config& config,
                                                      prometheus::Registry& registry,
                                                      HttpGet get,
                                                      storage::s3::ObjectHttp object_http = {});

    /// The originals store, purge journal and product store storage.kind names, without the rest
    /// (what `imgline migrate` opens). Store requests are counted on `registry` when given.
    static Expected<Storage> open_storage(const config::Config& config,
                                          storage::s3::ObjectHttp object_http,
                                          prometheus::Registry* registry = nullptr);

private:
    Services(Storage opened,
             const config::Config& config,
             prometheus::Registry& registry,
             const HttpGet& get);
};

/// Per edge: healthy and owing no purge, the edges steering may send viewers to.
std::vector<bool> edges_in_rotation(const EdgeHealth& health, const PurgeFanout& purges);

/// Logs what a carrier (re)load did: each problem (the first 20), then the counts.
void log_carrier_load(const CarrierLoad& load);

}  // namespace imgline::app
