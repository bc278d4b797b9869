#include "server/handlers/image_handler.h"

#include "app/rendition_address.h"
#include "cdn/cache_policy.h"
#include "cdn/negotiate.h"
#include "cdn/transform_path.h"
#include "common/unix_time.h"
#include "pipeline/capabilities.h"
#include "server/http_date.h"
#include "server/ranged_reply.h"
#include "server/request.h"

#include <algorithm>

namespace imgline::server {
namespace {

using app::RenditionAsk;

constexpr std::int64_t kYear = 31'536'000;

// /i/{id}/{preset}[~{version}][.{ext}]: a configured preset; the format from the extension, or
// from Accept. The current version is immutable; without a version the bytes may change with
// the preset (a day's lifetime); an old version or an old preset name is a redirect.
using PresetAnswer = std::variant<RenditionAsk, Reply>;

Expected<PresetAnswer> parse_preset_route(const ImageContext& context, const Request& request) {
    std::string id(request.params.get("id"));
    if (!storage::is_valid_id(id)) {
        return fail(ErrorCode::NotFound, "there is no image at this address");
    }
    auto address = app::parse_preset_file(context.config, *context.preset_versions,
                                          request.params.get("file"));
    if (!address) {
        return tl::unexpected(address.error());
    }
    const bool outdated = !address->version.empty() && address->version != address->current_version;
    if (address->renamed || outdated) {
        const std::string location = app::rendition_path(
            id, address->preset->name, address->format,
            address->version.empty() ? std::string_view() : address->current_version);
        Reply reply = Reply::json(address->renamed ? 301 : 302, {{"location", location}});
        reply.with_header("Location", location)
            .with_header("Cache-Control", std::string(cdn::kMovedCacheControl));
        return PresetAnswer(std::move(reply));
    }
    const bool negotiated = !address->format;
    const ImageFormat format =
        negotiated ? cdn::negotiate(request.header(http::field::accept), address->offered).format
                   : *address->format;
    RenditionAsk ask = context.renditions.ask(std::move(id), *address->preset, format);
    ask.negotiated = negotiated;
    if (address->version.empty()) {
        ask.cache_control = std::string(cdn::kUnversionedCacheControl);
    }
    context.renditions.note_asked(ask);
    return PresetAnswer(std::move(ask));
}

// /t/{signature}/{options...}/{id}.{fmt}: the signature over everything after it (checked
// first), strict options, an optional expiry; then served like a preset.
Expected<RenditionAsk> parse_transform_route(const ImageContext& context, const Request& request) {
    const std::string_view rest = request.params.get("rest");
    if (auto signed_ok = cdn::verify_path(request.params.get("signature"), "/" + std::string(rest),
                                          context.signing_keys);
        !signed_ok) {
        return tl::unexpected(signed_ok.error());
    }
    auto path = cdn::parse_transform_path(rest);
    if (!path) {
        return tl::unexpected(path.error());
    }
    const std::int64_t now = unix_seconds_now();
    if (path->options.expires != 0 && now > path->options.expires) {
        return fail(ErrorCode::Expired, "this signed address has expired");
    }
    if (path->extension.empty() || !storage::is_valid_id(path->id)) {
        return fail(ErrorCode::NotFound, "there is no image at this address");
    }
    const auto format = pipeline::parse_format_name(path->extension);
    if (!format || !pipeline::can_write(*format)) {
        return fail(ErrorCode::BadRequest,
                    "'" + path->extension + "' is not a format this server writes");
    }
    std::optional<std::int64_t> max_age;  // an expiring URL is cached until it expires
    if (path->options.expires != 0) {
        max_age = std::min(path->options.expires - now, kYear);
    }
    return context.renditions.ask_transform(
        path->id, path->options.as_preset(pipeline::format_name(*format)), *format, max_age);
}

// The headers every successful answer for this rendition carries (200, 206 and 304 alike).
void add_cache_headers(Reply& reply, const RenditionAsk& ask) {
    reply.with_header("ETag", ask.etag).with_header("Cache-Control", ask.cache_control);
    if (ask.negotiated) {
        reply.with_header("Vary", "Accept");
    }
}

Reply not_modified(const RenditionAsk& ask) {
    Reply reply = Reply::bytes(304, "", "");
    add_cache_headers(reply, ask);
    return reply;
}

// 200 with the whole image, 206 with the part a Range asks for, or 416; 304 for
// If-None-Match: *, now that the image is known to exist.
Reply rendition_reply(const std::shared_ptr<const storage::CachedRendition>& cached,
                      const RenditionAsk& ask,
                      const Request& request) {
    if (cdn::if_none_match_any(request.header(http::field::if_none_match))) {
        return not_modified(ask);
    }
    const storage::CachedRendition& rendition = *cached;
    // The rendition's own format: a passthrough keeps the original's.
    const std::string type(mime_type(rendition.format));
    const std::uint64_t size = rendition.size();
    auto answered = answer_range(request, size);
    if (auto* refused = std::get_if<Reply>(&answered)) {
        return std::move(*refused);
    }
    const RangeAnswer& part = std::get<RangeAnswer>(answered);
    // The image goes out straight from the cache entry, without a copy: from its sealed
    // memory file with sendfile(2), or from the shared bytes.
    Reply reply =
        rendition.sealed ? Reply::file(part.status, type,
                                       FileBody{rendition.sealed, part.range.first, part.length})
        : part.status == 206
            ? Reply::bytes(206, type, rendition.bytes.substr(part.range.first, part.length))
            : Reply::shared(200, type, std::shared_ptr<const std::string>(cached, &cached->bytes));
    add_range_headers(reply, part, size);
    add_cache_headers(reply, ask);
    reply.with_header("Last-Modified", http_date(rendition.rendered_at))
        .with_header("X-Imgline-Budget", rendition.budget_met ? "met" : "unmet")
        .with_header("X-Imgline-Quality", std::to_string(rendition.quality))
        .with_header("X-Imgline-Encodes", std::to_string(rendition.encodes));
    return reply;
}

// The request pipeline of the image routes, after parsing: deleted → 410; the client's copy is
// current → 304; in memory → the reply on this I/O thread; else produced on the worker pool.
void serve(const ImageContext& context,
           Expected<RenditionAsk> ask,
           const Request& request,
           Respond respond) {
    if (!ask) {
        respond(tl::unexpected(ask.error()));
        return;
    }
    if (auto present = context.renditions.refuse_if_deleted(ask->id); !present) {
        respond(tl::unexpected(present.error()));
        return;
    }
    if (cdn::if_none_match_hits(request.header(http::field::if_none_match), ask->etag)) {
        // The ETag names the exact bytes (content id + preset + format + pipeline version), so
        // nothing needs to be read or rendered to know the client's copy is current.
        context.renditions.count_not_modified();
        respond(not_modified(*ask));
        return;
    }
    if (auto hit = context.renditions.from_memory(*ask)) {
        respond(rendition_reply(hit, *ask, request));
        return;
    }
    // The request lives in its session until the answer is sent, so the waiter may read it.
    context.renditions.produce(*ask,
                               [ask = *ask, respond, &request](const app::RenditionResult& result) {
                                   if (!result) {
                                       respond(tl::unexpected(result.error()));
                                       return;
                                   }
                                   respond(rendition_reply(*result, ask, request));
                               });
}

// What a slot URL names, checked before anything is read: 404 for an unknown party, SKU, slot
// name or preset.
struct SlotAddress {
    std::string owner;
    std::string sku;
    std::string slot;
    app::PresetAddress preset;
};

Expected<SlotAddress> parse_slot_route(const ImageContext& context, const Request& request) {
    SlotAddress address{std::string(request.params.get("owner")),
                        std::string(request.params.get("sku")),
                        std::string(request.params.get("slot")),
                        {}};
    if (!app::is_party(context.config, address.owner) || !storage::is_sku(address.sku) ||
        !storage::is_slot_name(address.slot)) {
        return fail(ErrorCode::NotFound, "there is no image at this address");
    }
    auto preset = app::parse_preset_file(context.config, *context.preset_versions,
                                         request.params.get("file"));
    if (!preset) {
        return tl::unexpected(preset.error());
    }
    if (!preset->version.empty()) {  // slot URLs carry no version: they are short-lived
        return fail(ErrorCode::NotFound, "there is no image at this address");
    }
    address.preset = std::move(*preset);
    return address;
}

// The slot's current original rendered as its URL asks, cacheable for slot_max_age; or, with
// slot_answer = "redirect", a 302 to the rendition's immutable /i/ URL, cacheable as long.
void serve_slot(const ImageContext& context,
                const SlotAddress& address,
                const storage::Product& product,
                const Request& request,
                Respond respond) {
    const storage::Slot* slot = product.find(address.slot);
    const storage::SlotEntry* shown = slot != nullptr ? slot->current() : nullptr;
    if (shown == nullptr) {
        respond(fail(ErrorCode::NotFound, "this product slot shows no image"));
        return;
    }
    const bool negotiated = !address.preset.format;
    const ImageFormat format =
        negotiated
            ? cdn::negotiate(request.header(http::field::accept), address.preset.offered).format
            : *address.preset.format;
    RenditionAsk ask = context.renditions.ask(shown->id, *address.preset.preset, format);
    ask.negotiated = negotiated;
    context.renditions.note_asked(ask);
    ask.cache_control = cdn::slot_cache_control(
        std::chrono::duration_cast<std::chrono::seconds>(context.config.products.slot_max_age)
            .count());
    if (context.config.products.slot_answer == config::SlotAnswer::Redirect) {
        // Relative, so a viewer who came through an edge stays on it.
        const std::string location =
            app::current_rendition_path(*context.preset_versions, shown->id,
                                        address.preset.preset->name, address.preset.format);
        Reply reply = Reply::json(302, {{"location", location}});
        reply.with_header("Location", location).with_header("Cache-Control", ask.cache_control);
        if (negotiated) {
            reply.with_header("Vary", "Accept");
        }
        respond(std::move(reply));
        return;
    }
    serve(context, std::move(ask), request, std::move(respond));
}

// /p/{owner}/{sku}/{slot}/{file}: from the slots remembered on this I/O thread, else the
// product is read on the worker pool first.
void serve_slot_route(const ImageContext& context, const Request& request, Respond respond) {
    auto address = parse_slot_route(context, request);
    if (!address) {
        respond(tl::unexpected(address.error()));
        return;
    }
    if (auto known = context.slots.remembered(address->owner, address->sku)) {
        serve_slot(context, *address, *known, request, std::move(respond));
        return;
    }
    const bool queued =
        context.lookups.try_submit([context, address = std::move(*address), &request, respond] {
            auto product = context.slots.product(address.owner, address.sku);
            if (!product) {
                respond(tl::unexpected(product.error()));
                return;
            }
            serve_slot(context, address, *product, request, respond);
        });
    if (!queued) {
        respond(fail(ErrorCode::Overloaded, "the server is busy; try again shortly"));
    }
}

// Every image route's first step: an origin behind signing edges answers image requests from
// server.image_clients only (asked directly, it would serve what the edge's signature check
// refuses), whatever the answer would have been — image, redirect or error.
AsyncHandler for_image_clients(const ImageContext& context,
                               void (*handler)(const ImageContext&, const Request&, Respond)) {
    return [context, handler](const Request& request, Respond respond) {
        if (!context.image_clients.empty() &&
            !context.image_clients.contains(request.peer_address)) {
            respond(fail(ErrorCode::Forbidden,
                         "this origin serves images to its edges only; use the edge's URL"));
            return;
        }
        handler(context, request, std::move(respond));
    };
}

void serve_preset_route(const ImageContext& context, const Request& request, Respond respond) {
    auto parsed = parse_preset_route(context, request);
    if (!parsed) {
        respond(tl::unexpected(parsed.error()));
    } else if (auto* ask = std::get_if<RenditionAsk>(&*parsed)) {
        serve(context, std::move(*ask), request, std::move(respond));
    } else {
        respond(std::move(std::get<Reply>(*parsed)));  // a redirect
    }
}

void serve_transform_route(const ImageContext& context, const Request& request, Respond respond) {
    serve(context, parse_transform_route(context, request), request, std::move(respond));
}

}  // namespace

std::vector<Route> image_routes(const ImageContext& context) {
    Route preset{{Method::Get}, "/i/{id}/{file}", "image", {}, Execution::Async};
    preset.async_handler = for_image_clients(context, serve_preset_route);
    Route slot{{Method::Get}, "/p/{owner}/{sku}/{slot}/{file}", "slot_image", {}, Execution::Async};
    slot.async_handler = for_image_clients(context, serve_slot_route);
    std::vector<Route> routes{std::move(preset), std::move(slot)};
    if (!context.signing_keys.empty()) {  // ad-hoc transforms are off without a key
        Route transform{
            {Method::Get}, "/t/{signature}/{rest...}", "transform", {}, Execution::Async};
        transform.async_handler = for_image_clients(context, serve_transform_route);
        routes.push_back(std::move(transform));
    }
    return routes;
}

}  // namespace imgline::server
