#include "server/handlers/image_handler.h"

#include "cdn/cache_policy.h"
#include "cdn/negotiate.h"
#include "cdn/signed_url.h"
#include "cdn/transform_options.h"
#include "pipeline/capabilities.h"
#include "pipeline/mezzanine.h"
#include "pipeline/probe.h"
#include "pipeline/render.h"
#include "server/brand_fixes.h"
#include "server/http_date.h"
#include "server/preset_address.h"
#include "server/request.h"

#include <algorithm>
#include <chrono>

namespace imgline::server {
namespace {

// Everything decided from the URL and headers alone, before any I/O.
struct ImageAsk {
    std::string id;
    config::PresetConfig preset;  // a configured preset, or a signed transform's settings
    std::string format;
    bool negotiated = false;
    std::string key;
    std::string etag;
    /// Cache-Control of a success: a year and immutable, or shorter for an expiring URL.
    std::string cache_control = std::string(cdn::kRenditionCacheControl);
};

// The ask for one rendition, its cache key and ETag.
ImageAsk ask_for(const ImageContext& context,
                 std::string id,
                 const config::PresetConfig& preset,
                 std::string format) {
    ImageAsk ask;
    ask.id = std::move(id);
    ask.preset = preset;
    ask.format = std::move(format);
    ask.key = cdn::rendition_key(ask.id, ask.preset, ask.format, context.brands_fingerprint);
    ask.etag = cdn::etag_for(ask.key);
    return ask;
}

Expected<ImageAsk> understand(const ImageContext& context, const Request& request) {
    std::string id(request.params.get("id"));
    if (!storage::is_valid_id(id)) {
        return fail(ErrorCode::NotFound, "there is no image at this address");
    }
    auto address = parse_preset_file(context.config, request.params.get("file"));
    if (!address) {
        return tl::unexpected(address.error());
    }
    const bool negotiated = address->format.empty();
    ImageAsk ask = ask_for(
        context, std::move(id), *address->preset,
        negotiated ? cdn::negotiate(request.header(http::field::accept), address->offered).format
                   : address->format);
    ask.negotiated = negotiated;
    return ask;
}

// The headers every successful answer for this rendition carries (200, 206 and 304 alike).
void add_cache_headers(Reply& reply, const ImageAsk& ask) {
    reply.with_header("ETag", ask.etag).with_header("Cache-Control", ask.cache_control);
    if (ask.negotiated) {
        reply.with_header("Vary", "Accept");
    }
}

Reply rendition_reply(const std::shared_ptr<const storage::CachedRendition>& cached,
                      const ImageAsk& ask,
                      const Request& request) {
    const storage::CachedRendition& rendition = *cached;
    const auto format = pipeline::parse_format_name(rendition.format);
    const std::string type(format ? pipeline::mime_type(*format) : "application/octet-stream");
    const std::uint64_t size = rendition.size();
    cdn::ByteRange range;
    const auto ranged = cdn::parse_range(request.header(http::field::range), size, range);
    if (ranged == cdn::RangeResult::Whole) {
        range = cdn::ByteRange{0, size == 0 ? 0 : size - 1};
    }
    if (ranged == cdn::RangeResult::Unsatisfiable) {
        Reply refused = Reply::from_error(
            make_error(ErrorCode::RangeNotSatisfiable, "the range is outside the image"),
            request.request_id, 1);
        refused.with_header("Content-Range", "bytes */" + std::to_string(size));
        return refused;
    }
    const int status = ranged == cdn::RangeResult::Partial ? 206 : 200;
    const std::uint64_t length = size == 0 ? 0 : range.last - range.first + 1;
    // The image goes out straight from the cache entry, without a copy: from its sealed
    // memory file with sendfile(2), or from the shared bytes.
    Reply reply =
        rendition.sealed
            ? Reply::file(status, type, FileBody{rendition.sealed, range.first, length})
        : status == 206
            ? Reply::bytes(206, type, rendition.bytes.substr(range.first, length))
            : Reply::shared(200, type, std::shared_ptr<const std::string>(cached, &cached->bytes));
    if (status == 206) {
        reply.with_header("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                               std::to_string(range.last) + "/" +
                                               std::to_string(size));
    }
    add_cache_headers(reply, ask);
    reply.with_header("Last-Modified", http_date(rendition.rendered_at))
        .with_header("Accept-Ranges", "bytes")
        .with_header("X-Imgline-Budget", rendition.budget_met ? "met" : "unmet")
        .with_header("X-Imgline-Quality", std::to_string(rendition.quality))
        .with_header("X-Imgline-Encodes", std::to_string(rendition.encodes));
    return reply;
}

Expected<Reply> gone(const Request& request) {
    Reply reply = Reply::from_error(
        make_error(ErrorCode::Gone, "this image was deleted by its owner"), request.request_id, 1);
    reply.with_header("Cache-Control", std::string(cdn::kGoneCacheControl));
    return reply;
}

struct RenderSource {
    std::string bytes;
    const char* name;  // for the metric
    /// For a mezzanine, the original's long side (its records say); 0 for the original.
    int original_long_side = 0;
};

// What a render starts from: the smallest mezzanine that holds every pixel the plan needs (no
// 12 MP decode), else the original.
Expected<RenderSource> source_for(const ImageContext& context,
                                  const std::string& id,
                                  const pipeline::RenderPlan& plan) {
    auto sides =
        pipeline::mezzanine_sides(static_cast<int>(context.config.storage.mezzanine_max_side));
    for (auto side = sides.rbegin(); side != sides.rend(); ++side) {
        auto mezzanine = context.store.read_mezzanine(id, *side);
        if (!mezzanine) {
            continue;
        }
        if (auto info = pipeline::probe(*mezzanine, context.config.limits);
            info && pipeline::covers({info->width, info->height}, plan)) {
            const auto records = context.store.records_of(id);
            const int original_long_side =
                records.empty() ? 0 : std::max(records.front().width, records.front().height);
            return RenderSource{std::move(*mezzanine), "mezzanine", original_long_side};
        }
    }
    auto original = context.store.read(id);
    if (!original) {
        if (context.store.is_deleted(id)) {
            return fail(ErrorCode::Gone, "this image was deleted by its owner");
        }
        if (original.error().code == ErrorCode::NotFound) {
            return fail(ErrorCode::NotFound, "there is no image at this address");
        }
        return tl::unexpected(original.error());
    }
    return RenderSource{std::move(*original), "original"};
}

// Worker thread: the disk cache, or the image rendered under the preset's budget.
RenditionResult produce(const ImageContext& context, const ImageAsk& ask) {
    if (auto hit = context.cache.get(ask.key)) {
        context.metrics.count_request("disk");
        return hit->first;
    }
    const auto format = *pipeline::parse_format_name(ask.format);
    auto plan = pipeline::make_plan(ask.preset, format);
    if (!plan) {
        return tl::unexpected(plan.error());
    }
    if (ask.preset.brand_fixes) {
        apply_brand(*plan, context.config, context.store.records_of(ask.id));
    }
    auto source = source_for(context, ask.id, *plan);
    if (!source) {
        return tl::unexpected(source.error());
    }
    context.metrics.count_render_source(source->name);
    plan->original_long_side = source->original_long_side;
    if (source->name == std::string_view("original")) {
        // An original without mezzanines (stored before they existed, or they failed): make
        // them in the background, so that this is the last render to decode it.
        context.mezzanines.backfill(ask.id, context.prerenders);
    }
    const auto started = std::chrono::steady_clock::now();
    std::optional<pipeline::LearnedQuality> learned;
    if (const auto known = context.cache.learned(ask.key)) {
        learned = pipeline::LearnedQuality{known->first, known->second};
    }
    auto rendition =
        pipeline::render(source->bytes, *plan, context.config.limits,
                         Deadline::after(context.config.limits.render_timeout), learned);
    if (!rendition) {
        return tl::unexpected(rendition.error());
    }
    context.metrics.observe_render(
        ask.preset.name, ask.format, rendition->budget_met, rendition->encodes,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    auto cached = std::make_shared<storage::CachedRendition>();
    cached->bytes = std::move(rendition->bytes);
    cached->format = std::string(pipeline::format_name(rendition->format));
    cached->width = rendition->width;
    cached->height = rendition->height;
    cached->quality = rendition->quality;
    cached->encodes = rendition->encodes;
    cached->budget_met = rendition->budget_met;
    cached->chroma_full = rendition->chroma_full;
    cached->rendered_at = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    context.cache.put(ask.key, cached);
    context.metrics.count_request("render");
    return std::shared_ptr<const storage::CachedRendition>(cached);
}

// /t/{signature}/{options...}/{id}.{fmt}: the signature over everything after it, strict
// options, an optional expiry; then served like a preset.
Expected<ImageAsk> understand_transform(const ImageContext& context, const Request& request) {
    const std::string rest(request.params.get("rest"));
    if (auto signed_ok =
            cdn::verify_path(request.params.get("signature"), "/" + rest, context.signing_keys);
        !signed_ok) {
        return tl::unexpected(signed_ok.error());
    }
    const auto slash = rest.rfind('/');
    if (slash == std::string::npos) {
        return fail(ErrorCode::BadRequest, "a transform needs options and {id}.{format}");
    }
    std::vector<std::string> segments;
    for (std::size_t at = 0; at < slash;) {
        const auto next = rest.find('/', at);
        segments.push_back(rest.substr(at, std::min(next, slash) - at));
        at = std::min(next, slash) + 1;
    }
    auto options = cdn::parse_transform_options(segments);
    if (!options) {
        return tl::unexpected(options.error());
    }
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    if (options->expires != 0 && now > options->expires) {
        return fail(ErrorCode::Expired, "this signed address has expired");
    }
    const std::string file = rest.substr(slash + 1);
    const auto dot = file.rfind('.');
    ImageAsk ask;
    ask.id = file.substr(0, dot);
    if (dot == std::string::npos || !storage::is_valid_id(ask.id)) {
        return fail(ErrorCode::NotFound, "there is no image at this address");
    }
    const auto format = pipeline::parse_format_name(file.substr(dot + 1));
    if (!format || !pipeline::can_write(*format)) {
        return fail(ErrorCode::BadRequest,
                    "'" + file.substr(dot + 1) + "' is not a format this server writes");
    }
    ask.format = std::string(pipeline::format_name(*format));
    ask.preset = options->as_preset(ask.format);
    ask.key = cdn::rendition_key(ask.id, ask.preset, ask.format);
    ask.etag = cdn::etag_for(ask.key);
    if (options->expires != 0) {
        const auto left = std::min<std::int64_t>(options->expires - now, 31'536'000);
        ask.cache_control = "public, max-age=" + std::to_string(left);
    }
    return ask;
}

void serve(const ImageContext& context,
           Expected<ImageAsk> ask,
           const Request& request,
           Respond respond) {
    if (!ask) {
        respond(tl::unexpected(ask.error()));
        return;
    }
    if (context.store.is_deleted(ask->id)) {
        respond(gone(request));
        return;
    }
    if (cdn::if_none_match_hits(request.header(http::field::if_none_match), ask->etag)) {
        // The ETag names the exact bytes (content id + preset + format + pipeline version), so
        // nothing needs to be read or rendered to know the client's copy is current.
        context.metrics.count_request("not_modified");
        Reply not_modified = Reply::bytes(304, "", "");
        add_cache_headers(not_modified, *ask);
        respond(std::move(not_modified));
        return;
    }
    if (auto hit = context.cache.get_from_memory(ask->key)) {
        context.metrics.count_request("memory");
        respond(rendition_reply(hit, *ask, request));
        return;
    }
    // The request lives in its session until the answer is sent, so the waiter may read it.
    auto waiter = [ask = *ask, respond, &request](const RenditionResult& result) {
        if (!result) {
            respond(tl::unexpected(result.error()));
            return;
        }
        respond(rendition_reply(*result, ask, request));
    };
    if (!context.coalescer.join(ask->key, std::move(waiter))) {
        context.metrics.count_coalesced_wait();
        return;  // another request is already producing it
    }
    const bool queued = context.workers.try_submit(
        [context, ask = *ask] { context.coalescer.complete(ask.key, produce(context, ask)); });
    if (!queued) {
        context.coalescer.complete(
            ask->key, fail(ErrorCode::Overloaded, "the server is busy; try again shortly"));
    }
}

}  // namespace

std::size_t prerender(const ImageContext& context, const std::string& id) {
    std::size_t queued = 0;
    for (const auto& preset : context.config.presets) {
        for (const auto& name : preset.formats) {
            const auto format = pipeline::parse_format_name(name);
            if (!format || !pipeline::can_write(*format)) {
                continue;
            }
            ImageAsk ask =
                ask_for(context, id, preset, std::string(pipeline::format_name(*format)));
            const bool taken = context.prerenders.try_submit([context, ask] {
                if (context.store.is_deleted(ask.id) || context.cache.get(ask.key)) {
                    context.metrics.count_prerender("cached");
                    return;
                }
                if (!context.coalescer.join(ask.key, [](const RenditionResult&) {})) {
                    context.metrics.count_prerender("cached");  // a viewer's render is running
                    return;
                }
                context.coalescer.complete(ask.key, produce(context, ask));
                context.metrics.count_prerender("rendered");
            });
            if (taken) {
                ++queued;
            } else {
                context.metrics.count_prerender("dropped");
            }
        }
    }
    return queued;
}

std::vector<Route> image_routes(const ImageContext& context) {
    Route preset{{Method::Get}, "/i/{id}/{file}", "image", {}, Execution::Async};
    preset.async_handler = [context](const Request& request, Respond respond) {
        serve(context, understand(context, request), request, std::move(respond));
    };
    std::vector<Route> routes{std::move(preset)};
    if (!context.signing_keys.empty()) {  // ad-hoc transforms are off without a key
        Route transform{
            {Method::Get}, "/t/{signature}/{rest...}", "transform", {}, Execution::Async};
        transform.async_handler = [context](const Request& request, Respond respond) {
            serve(context, understand_transform(context, request), request, std::move(respond));
        };
        routes.push_back(std::move(transform));
    }
    return routes;
}

}  // namespace imgline::server
