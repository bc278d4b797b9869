#pragma once

#include "app/image_metrics.h"
#include "app/mezzanine_keeper.h"
#include "app/render_coalescer.h"
#include "app/rendition_demand.h"
#include "common/worker_pool.h"
#include "config/config.h"
#include "pipeline/image_format.h"
#include "storage/original_store.h"
#include "storage/rendition_cache.h"

#include <memory>
#include <optional>
#include <string>

namespace imgline::app {

/// 410 Gone when the owner of original `id` deleted it: the one decision every route that
/// names an original makes (server/reply.cpp gives every 410 the same caching).
Expected<void> refuse_if_deleted(const storage::OriginalStore& store, const std::string& id);

/// One rendition asked for: which original, rendered how, in which format; its cache key, ETag
/// and the Cache-Control of a success.
struct RenditionAsk {
    std::string id;
    config::PresetConfig preset;  // a configured preset, or a signed transform's settings
    pipeline::ImageFormat format = pipeline::ImageFormat::Jpeg;
    bool negotiated = false;  // the format came from Accept (answers Vary: Accept)
    std::string key;
    std::string etag;
    std::string cache_control;
};

/// Produces renditions: plans the render (with the brand's fixes), picks the source (the
/// smallest mezzanine that holds every pixel, else the original), renders under the preset's
/// budget on the worker pool with concurrent asks for one rendition sharing a single render,
/// and keeps the result in the caches. Also pre-renders new uploads. No HTTP here: the image
/// handler turns asks and results into replies. Cheap to copy.
class RenditionService {
public:
    struct Parts {
        const config::Config& config;
        storage::OriginalStore& store;
        storage::RenditionCache& cache;
        RenderCoalescer& coalescer;
        ImageMetrics& metrics;
        MezzanineKeeper& mezzanines;
        WorkerPool& renders;      // viewers' renders
        WorkerPool& prerenders;   // background: pre-renders and mezzanine back-fills
        RenditionDemand& demand;  // what viewers ask for (re-renders start with the most asked)
    };

    explicit RenditionService(Parts parts);

    /// The ask for `preset` of `id` in `format`, keyed for the caches.
    RenditionAsk ask(std::string id,
                     const config::PresetConfig& preset,
                     pipeline::ImageFormat format) const;

    /// The same for a signed transform's settings (not keyed by the brands, which it ignores),
    /// cacheable for `max_age_seconds` when its URL expires (none: a year, immutable).
    RenditionAsk ask_transform(std::string id,
                               const config::PresetConfig& settings,
                               pipeline::ImageFormat format,
                               std::optional<std::int64_t> max_age_seconds) const;

    /// app::refuse_if_deleted on this service's store.
    Expected<void> refuse_if_deleted(const std::string& id) const;

    /// Counts an answer the client's copy made (304).
    void count_not_modified() const;

    /// Counts a viewer's ask for the rendition (RenditionDemand).
    void note_asked(const RenditionAsk& ask) const;

    /// How a render ahead of viewers went.
    enum class Ahead { Rendered, AlreadyThere, Failed };

    /// Renders `ask` on the calling thread unless it is cached, deleted or being rendered for a
    /// viewer, and keeps it in the caches (pre-renders, re-renders after a style change).
    Ahead render_ahead(const RenditionAsk& ask) const;

    /// The rendition from the memory cache, or null (cheap enough for an I/O thread).
    std::shared_ptr<const storage::CachedRendition> from_memory(const RenditionAsk& ask) const;

    /// Produces the rendition and calls `done` with it: on a worker thread after the disk cache
    /// or a render, or at once with Overloaded when the pool is full. Asks for a rendition
    /// being produced already only wait for it.
    void produce(const RenditionAsk& ask, RenditionWaiter done) const;

    /// Queues the renders of every preset of `id` in each of its formats on the background
    /// thread, each skipped if it is cached by the time its turn comes (or joined by viewers
    /// who ask for it meanwhile). Returns how many were queued; the rest were dropped.
    std::size_t prerender(const std::string& id) const;

private:
    // On a worker thread; the service is copied into each job (it holds only references and
    // the fingerprint), as the parts outlive the pools' jobs.
    RenditionResult render(const RenditionAsk& ask) const;

    Parts parts_;
    std::string brands_fingerprint_;  // cdn::brands_fingerprint(config)
};

}  // namespace imgline::app
