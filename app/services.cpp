#include "app/services.h"

#include "app/store_metrics.h"
#include "cdn/cache_policy.h"
#include "common/log.h"
#include "common/unix_time.h"
#include "pipeline/vips_runtime.h"
#include "storage/local_product_store.h"
#include "storage/local_purge_journal.h"
#include "storage/local_store.h"
#include "storage/s3_product_store.h"
#include "storage/s3_purge_journal.h"
#include "storage/s3_store.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace imgline::app {
namespace {

// Pre-renders waiting for the background thread; beyond this, new ones are skipped.
constexpr std::size_t kPrerenderQueue = 4096;

}  // namespace

Services::Services(Storage opened,
                   const config::Config& config,
                   prometheus::Registry& registry,
                   const HttpGet& get)
    : owned_store(std::move(opened.store)),
      store(*owned_store),
      auth(config.parties),
      cache(config.storage.memory_cache_bytes,
            config.storage.data_dir + "/cache",
            config.storage.disk_cache_bytes,
            std::string(cdn::kPipelineVersion),
            config.storage.memory_cache_entries == 0
                ? SIZE_MAX
                : static_cast<std::size_t>(config.storage.memory_cache_entries)),
      image_metrics(registry),
      carriers(config.carriers,
               &prometheus::BuildGauge()
                    .Name("imgline_carrier_lists_snapshot_timestamp_seconds")
                    .Help("When the carrier lists in use were taken (Unix seconds; 0: unknown)")
                    .Register(registry)
                    .Add({})),
      trusted_proxies(config.carriers.trusted_proxies),
      edge_health(config.edges, config.carriers, get, registry),
      purge_journal(std::move(opened.purge_journal)),
      purges(config.edges, *purge_journal, get, registry),
      product_store(std::move(opened.products)),
      products({store, *product_store, purges},
               // Another origin's slot change shows here as soon as its deletes do.
               config.storage.kind == "s3" ? config.storage.s3.consistency_ttl
                                           : std::chrono::milliseconds(5'000)),
      versions(config.storage.data_dir),
      steered(prometheus::BuildCounter()
                  .Name("imgline_steering_total")
                  .Help("Viewers sent to an edge, by their carrier and the reason for the choice "
                        "(carrier-match, multiline-fallback, default-line, origin-fallback)")
                  .Register(registry)),
      mezzanines(config, store),
      prerenders(
          WorkerPool::Options{1, kPrerenderQueue, pipeline::release_thread_resources, true}) {}

std::vector<bool> edges_in_rotation(const EdgeHealth& health, const PurgeFanout& purges) {
    std::vector<bool> flags = health.healthy();
    const std::vector<bool> caught_up = purges.caught_up();
    for (std::size_t i = 0; i < flags.size() && i < caught_up.size(); ++i) {
        flags[i] = flags[i] && caught_up[i];
    }
    return flags;
}

void log_carrier_load(const CarrierLoad& load) {
    constexpr std::size_t kShown = 20;
    for (std::size_t i = 0; i < load.problems.size() && i < kShown; ++i) {
        log::warn("carrier list problem", {{"problem", load.problems[i]}});
    }
    boost::json::object fields{{"prefixes", load.prefixes},
                               {"intervals", load.intervals},
                               {"problems", load.problems.size()},
                               {"snapshot", load.snapshot},
                               {"ms", load.milliseconds}};
    if (load.swapped) {
        log::info("carrier lists loaded", std::move(fields));
        const auto age = snapshot_age_days(load.snapshot, unix_seconds_now());
        if (age && *age > kStaleCarrierListDays) {
            log::warn(
                "the carrier lists are older than 90 days; refresh them with "
                "scripts/update-carrier-lists (docs/operations.md)",
                {{"snapshot", load.snapshot}, {"age_days", *age}});
        }
    } else {
        log::warn(
            "carrier lists not reloaded: a file could not be read; the previous table "
            "stays",
            std::move(fields));
    }
}

Expected<Services::Storage> Services::open_storage(const config::Config& config,
                                                   storage::s3::ObjectHttp object_http,
                                                   prometheus::Registry* registry) {
    if (config.storage.kind == "s3") {
        if (!object_http) {
            return fail(ErrorCode::Internal, "no way to reach the object store was given");
        }
        storage::s3::StoreObserver observe;
        if (registry != nullptr) {
            observe = store_metrics(*registry);
        }
        auto store = storage::S3Store::open(config.storage.s3, object_http, observe);
        if (!store) {
            return tl::unexpected(store.error());
        }
        return Storage{
            std::move(*store),
            std::make_unique<storage::S3PurgeJournal>(config.storage.s3, object_http, observe),
            std::make_unique<storage::S3ProductStore>(config.storage.s3, object_http, observe)};
    }
    auto store = storage::LocalStore::open(config.storage.data_dir);
    if (!store) {
        return tl::unexpected(store.error());
    }
    if (const auto removed = store->leftovers_removed(); removed > 0) {
        log::info("removed temporary files left by an interrupted write", {{"count", removed}});
    }
    return Storage{std::make_unique<storage::LocalStore>(std::move(*store)),
                   std::make_unique<storage::LocalPurgeJournal>(config.storage.data_dir),
                   std::make_unique<storage::LocalProductStore>(config.storage.data_dir)};
}

Expected<std::unique_ptr<Services>> Services::create(const config::Config& config,
                                                     prometheus::Registry& registry,
                                                     HttpGet get,
                                                     storage::s3::ObjectHttp object_http) {
    auto opened = open_storage(config, std::move(object_http), &registry);
    if (!opened) {
        return tl::unexpected(opened.error());
    }
    std::unique_ptr<Services> services(new Services(std::move(*opened), config, registry, get));
    if (!config.carriers.data_dir.empty()) {
        log_carrier_load(services->carriers.load());
    }
    if (auto recorded = services->versions.record(config); !recorded) {
        log::warn("the preset version history could not be written",
                  {{"detail", recorded.error().detail}});
    }
    services->edge_health.start();
    services->purges.start();
    return services;
}

}  // namespace imgline::app
