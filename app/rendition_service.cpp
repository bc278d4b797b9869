#include "app/rendition_service.h"

#include "app/brand_fixes.h"
#include "cdn/cache_policy.h"
#include "common/unix_time.h"
#include "pipeline/capabilities.h"
#include "pipeline/mezzanine.h"
#include "pipeline/probe.h"
#include "pipeline/render.h"

#include <algorithm>
#include <chrono>
#include <optional>

namespace imgline::app {
namespace {

struct RenderSource {
    std::string bytes;
    const char* name;  // for the metric
    /// For a mezzanine, the original's long side (its records say); 0 for the original.
    int original_long_side = 0;
};

// What a render starts from: the smallest mezzanine that holds every pixel the plan needs (no
// 12 MP decode), else the original.
Expected<RenderSource> source_for(const config::Config& config,
                                  const storage::OriginalStore& store,
                                  const std::string& id,
                                  const pipeline::RenderPlan& plan) {
    auto sides = pipeline::mezzanine_sides(static_cast<int>(config.storage.mezzanine_max_side));
    for (auto side = sides.rbegin(); side != sides.rend(); ++side) {
        auto mezzanine = store.read_mezzanine(id, *side);
        if (!mezzanine) {
            if (mezzanine.error().code != ErrorCode::NotFound) {
                return tl::unexpected(mezzanine.error());  // the store is failing: 503, at once
            }
            continue;
        }
        if (auto info = pipeline::probe(*mezzanine, config.limits);
            info && pipeline::covers({info->width, info->height}, plan)) {
            const auto records = store.records_of(id);
            const int original_long_side =
                records.empty() ? 0 : std::max(records.front().width, records.front().height);
            return RenderSource{std::move(*mezzanine), "mezzanine", original_long_side};
        }
    }
    auto original = store.read(id);
    if (!original) {
        if (auto present = refuse_if_deleted(store, id); !present) {
            return tl::unexpected(present.error());
        }
        if (original.error().code == ErrorCode::NotFound) {
            return fail(ErrorCode::NotFound, "there is no image at this address");
        }
        return tl::unexpected(original.error());
    }
    return RenderSource{std::move(*original), "original"};
}

std::shared_ptr<storage::CachedRendition> to_cached(pipeline::Rendition rendition) {
    auto cached = std::make_shared<storage::CachedRendition>();
    cached->bytes = std::move(rendition.bytes);
    cached->format = rendition.format;
    cached->width = rendition.width;
    cached->height = rendition.height;
    cached->quality = rendition.quality;
    cached->encodes = rendition.encodes;
    cached->budget_met = rendition.budget_met;
    cached->chroma_full = rendition.chroma_full;
    cached->rendered_at = unix_seconds_now();
    return cached;
}

}  // namespace

RenditionService::RenditionService(Parts parts)
    : parts_(parts), brands_fingerprint_(cdn::brands_fingerprint(parts.config)) {}

RenditionAsk RenditionService::ask(std::string id,
                                   const config::PresetConfig& preset,
                                   pipeline::ImageFormat format) const {
    RenditionAsk ask;
    ask.id = std::move(id);
    ask.preset = preset;
    ask.format = format;
    ask.key = cdn::rendition_key(ask.id, ask.preset, format, brands_fingerprint_);
    ask.etag = cdn::etag_for(ask.key);
    ask.cache_control = std::string(cdn::kRenditionCacheControl);
    return ask;
}

RenditionAsk RenditionService::ask_transform(std::string id,
                                             const config::PresetConfig& settings,
                                             pipeline::ImageFormat format,
                                             std::optional<std::int64_t> max_age_seconds) const {
    RenditionAsk ask;
    ask.id = std::move(id);
    ask.preset = settings;
    ask.format = format;
    ask.key = cdn::rendition_key(ask.id, ask.preset, format);
    ask.etag = cdn::etag_for(ask.key);
    ask.cache_control = max_age_seconds ? "public, max-age=" + std::to_string(*max_age_seconds)
                                        : std::string(cdn::kRenditionCacheControl);
    return ask;
}

Expected<void> refuse_if_deleted(const storage::OriginalStore& store, const std::string& id) {
    if (store.is_deleted(id)) {
        return fail(ErrorCode::Gone, "this image was deleted by its owner");
    }
    return {};
}

Expected<void> RenditionService::refuse_if_deleted(const std::string& id) const {
    return app::refuse_if_deleted(parts_.store, id);
}

void RenditionService::count_not_modified() const {
    parts_.metrics.count_request("not_modified");
}

std::shared_ptr<const storage::CachedRendition> RenditionService::from_memory(
    const RenditionAsk& ask) const {
    auto hit = parts_.cache.get_from_memory(ask.key);
    if (hit) {
        parts_.metrics.count_request("memory");
    }
    return hit;
}

void RenditionService::produce(const RenditionAsk& ask, RenditionWaiter done) const {
    if (!parts_.coalescer.join(ask.key, std::move(done))) {
        parts_.metrics.count_coalesced_wait();
        return;  // another request is already producing it
    }
    const bool queued = parts_.renders.try_submit([service = *this, ask] {
        RenditionResult result;
        try {
            result = service.render(ask);
        } catch (...) {
            // Out of memory in libvips or an encoder: every waiter gets a 503, the server goes on.
            result = tl::unexpected(error_from_current_exception());
        }
        service.parts_.coalescer.complete(ask.key, std::move(result));
    });
    if (!queued) {
        parts_.coalescer.complete(
            ask.key, fail(ErrorCode::Overloaded, "the server is busy; try again shortly"));
    }
}

// Worker thread: the disk cache, or the image rendered under the preset's budget.
RenditionResult RenditionService::render(const RenditionAsk& ask) const {
    if (auto hit = parts_.cache.get(ask.key)) {
        parts_.metrics.count_request("disk");
        return hit->first;
    }
    auto plan = pipeline::make_plan(ask.preset, ask.format);
    if (!plan) {
        return tl::unexpected(plan.error());
    }
    if (ask.preset.brand_fixes) {
        apply_brand(*plan, parts_.config, parts_.store.records_of(ask.id));
    }
    auto source = source_for(parts_.config, parts_.store, ask.id, *plan);
    if (!source) {
        return tl::unexpected(source.error());
    }
    parts_.metrics.count_render_source(source->name);
    plan->original_long_side = source->original_long_side;
    if (source->name == std::string_view("original")) {
        // An original without mezzanines (stored before they existed, or they failed): make
        // them in the background, so that this is the last render to decode it.
        parts_.mezzanines.backfill(ask.id, parts_.prerenders);
    }
    const auto started = std::chrono::steady_clock::now();
    std::optional<pipeline::LearnedQuality> learned;
    if (const auto known = parts_.cache.learned(ask.key)) {
        learned = pipeline::LearnedQuality{known->first, known->second};
    }
    auto rendition =
        pipeline::render(source->bytes, *plan, parts_.config.limits,
                         Deadline::after(parts_.config.limits.render_timeout), learned);
    if (!rendition) {
        return tl::unexpected(rendition.error());
    }
    parts_.metrics.observe_render(
        ask.preset.name, pipeline::format_name(ask.format), rendition->decode_route,
        rendition->budget_met, rendition->encodes,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    auto cached = to_cached(std::move(*rendition));
    parts_.cache.put(ask.key, cached);
    parts_.metrics.count_request("render");
    return std::shared_ptr<const storage::CachedRendition>(cached);
}

RenditionService::Ahead RenditionService::render_ahead(const RenditionAsk& ask) const {
    if (parts_.store.is_deleted(ask.id) || parts_.cache.get(ask.key)) {
        parts_.metrics.count_prerender("cached");
        return Ahead::AlreadyThere;
    }
    if (!parts_.coalescer.join(ask.key, [](const RenditionResult&) {})) {
        parts_.metrics.count_prerender("cached");  // a viewer's render is running
        return Ahead::AlreadyThere;
    }
    RenditionResult result;
    try {
        result = render(ask);
    } catch (...) {
        result = tl::unexpected(error_from_current_exception());
    }
    const bool rendered = result.has_value();
    parts_.coalescer.complete(ask.key, std::move(result));
    parts_.metrics.count_prerender(rendered ? "rendered" : "failed");
    return rendered ? Ahead::Rendered : Ahead::Failed;
}

void RenditionService::note_asked(const RenditionAsk& ask) const {
    parts_.demand.count(ask.id, ask.preset.name, ask.format);
}

std::size_t RenditionService::prerender(const std::string& id) const {
    std::size_t queued = 0;
    for (const auto& preset : parts_.config.presets) {
        for (const auto& name : preset.formats) {
            const auto format = pipeline::parse_format_name(name);
            if (!format || !pipeline::can_write(*format)) {
                continue;
            }
            const bool taken =
                parts_.prerenders.try_submit([service = *this, wanted = ask(id, preset, *format)] {
                    service.render_ahead(wanted);
                });
            if (taken) {
                ++queued;
            } else {
                parts_.metrics.count_prerender("dropped");
            }
        }
    }
    return queued;
}

}  // namespace imgline::app
