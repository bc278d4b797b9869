#include "server/handlers/steering_handler.h"

#include "app/rendition_address.h"
#include "app/rendition_service.h"
#include "app/services.h"
#include "cdn/edge_choice.h"
#include "cdn/edge_url_auth.h"
#include "common/text.h"
#include "common/unix_time.h"
#include "server/public_url.h"
#include "server/query.h"
#include "server/request.h"
#include "server/request_head.h"

#include <algorithm>
#include <random>

#include <boost/json.hpp>
#include <prometheus/counter.h>
#include <prometheus/family.h>

namespace imgline::server {
namespace {

constexpr std::string_view kPrivate = "private, no-store";
constexpr std::size_t kMaxEmbedPresets = 16;
constexpr std::size_t kMaxAlt = 200;

// Where this viewer is sent, and why.
struct Steering {
    std::string carrier;
    cdn::EdgeChoice choice;
};

// `key` spreads viewers of different images over a carrier's edges (an original's id, or a
// product slot), the same image always on the same edge.
Expected<Steering> steer(const SteeringContext& context,
                         const Request& request,
                         const std::string& key,
                         const std::map<std::string, std::string, std::less<>>& query) {
    Steering steering;
    if (const auto asked = query.find("carrier"); asked != query.end()) {
        const auto sources = config::effective_carrier_sources(context.config.carriers);
        const bool known = asked->second == "default" ||
                           std::any_of(sources.begin(), sources.end(), [&](const auto& source) {
                               return source.carrier == asked->second;
                           });
        if (!known) {
            return fail(ErrorCode::BadRequest, "carrier '" + asked->second + "' is not configured");
        }
        steering.carrier = asked->second;
    } else {
        // Every X-Forwarded-For line counts: a chain of proxies may add one each.
        const auto viewer = cdn::viewer_address(
            request.peer_address, joined_header(request.http, "X-Forwarded-For"), context.trusted);
        steering.carrier = viewer ? std::string(context.carriers.table()->carrier_of(*viewer))
                                  : std::string("default");
    }
    steering.choice =
        // In rotation: healthy and owing no purge (an edge that missed one may still serve a
        // deleted image).
        cdn::choose_edge(context.config.edges,
                         app::edges_in_rotation(context.health, context.purges), steering.carrier,
                         key);
    context.steered
        .Add({{"carrier", steering.carrier},
              {"reason", std::string(cdn::reason_name(steering.choice.reason))}})
        .Increment();
    return steering;
}

std::string random_token() {
    thread_local std::mt19937_64 random{std::random_device{}()};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string token;
    for (int i = 0; i < 16; ++i) {
        token.push_back(kHex[random() % 16]);
    }
    return token;
}

// The full URL of `path` on the chosen edge (signed when the edge asks for it), or on the origin.
std::string url_for(const SteeringContext& context,
                    const Request& request,
                    const cdn::EdgeChoice& choice,
                    const std::string& path) {
    if (choice.edge == nullptr) {
        return public_base_url(context.config, request) + path;
    }
    const config::EdgeConfig& edge = *choice.edge;
    std::string base = edge.base_url;
    while (base.ends_with('/')) {
        base.pop_back();
    }
    const auto now = unix_seconds_now();
    if (edge.url_auth == config::UrlAuth::AlibabaA) {
        // The edge accepts it until this timestamp + its own validity period (url_auth_ttl in
        // the edge's configuration).
        return base + path + "?" +
               cdn::alibaba_a_query(path, now, random_token(), edge.url_auth_secret);
    }
    if (edge.url_auth == config::UrlAuth::NginxSecureLink) {
        const auto ttl =
            std::chrono::duration_cast<std::chrono::seconds>(edge.url_auth_ttl).count();
        return base + path + "?" +
               cdn::nginx_secure_link_query(path, now + ttl, edge.url_auth_secret);
    }
    return base + path;
}

void describe_choice(Reply& reply, const SteeringContext& context, const Steering& steering) {
    const std::string edge = steering.choice.edge ? steering.choice.edge->name : "origin";
    const std::string_view reason = cdn::reason_name(steering.choice.reason);
    reply.log_fields = {{"carrier", steering.carrier}, {"edge", edge}, {"steer", reason}};
    if (context.config.carriers.debug_header) {
        reply.with_header("X-Imgline-Edge", edge + "; carrier=" + steering.carrier +
                                                "; reason=" + std::string(reason));
    }
    reply.with_header("Cache-Control", kPrivate);
}

// 302 to `path` on the edge chosen for this viewer.
Expected<Reply> redirect(const SteeringContext& context,
                         const Request& request,
                         const std::string& key,
                         const std::string& path) {
    auto query = parse_query(request.query, {"carrier"});
    if (!query) {
        return tl::unexpected(query.error());
    }
    auto steering = steer(context, request, key, *query);
    if (!steering) {
        return tl::unexpected(steering.error());
    }
    const std::string location = url_for(context, request, steering->choice, path);
    Reply reply = Reply::json(302, {{"location", location}});
    reply.with_header("Location", location);
    describe_choice(reply, context, *steering);
    return reply;
}

Expected<Reply> go(const SteeringContext& context, const Request& request) {
    const std::string id(request.params.get("id"));
    if (!storage::is_valid_id(id)) {
        return fail(ErrorCode::NotFound, "there is no image at this address");
    }
    auto address = app::parse_preset_file(context.config, *context.preset_versions,
                                          request.params.get("file"));
    if (!address) {
        return tl::unexpected(address.error());
    }
    if (auto present = app::refuse_if_deleted(context.store, id); !present) {
        return tl::unexpected(present.error());
    }
    return redirect(context, request, id,
                    app::current_rendition_path(*context.preset_versions, id, address->preset->name,
                                                address->format));
}

// A product (owner and SKU) named in a path; 404 for an unknown party or a malformed SKU.
Expected<std::pair<std::string, std::string>> product_of(const SteeringContext& context,
                                                         const Request& request) {
    std::string owner(request.params.get("owner"));
    std::string sku(request.params.get("sku"));
    if (!app::is_party(context.config, owner) || !storage::is_sku(sku)) {
        return fail(ErrorCode::NotFound, "there is no product at this address");
    }
    return std::pair{std::move(owner), std::move(sku)};
}

// /go/p/{owner}/{sku}/{slot}/{file}: the slot URL on the viewer's edge (what the slot shows is
// the edge's question; an empty slot is its 404).
Expected<Reply> go_slot(const SteeringContext& context, const Request& request) {
    auto product = product_of(context, request);
    if (!product) {
        return tl::unexpected(product.error());
    }
    const std::string slot(request.params.get("slot"));
    if (!storage::is_slot_name(slot)) {
        return fail(ErrorCode::NotFound, "there is no image at this address");
    }
    auto address = app::parse_preset_file(context.config, *context.preset_versions,
                                          request.params.get("file"));
    if (!address) {
        return tl::unexpected(address.error());
    }
    const auto& [owner, sku] = *product;
    return redirect(context, request, owner + "/" + sku + "/" + slot,
                    app::slot_path(owner, sku, slot, address->preset->name, address->format));
}

std::string escape_html(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

// <picture> with one <source> per format but the last, which is the <img> fallback; each
// lists every preset as a width candidate.
std::string picture_html(const std::vector<const config::PresetConfig*>& presets,
                         const std::vector<std::string>& formats,
                         const std::map<std::string, std::map<std::string, std::string>>& urls,
                         std::string_view alt) {
    auto srcset = [&](const std::string& format) {
        std::string set;
        for (const auto* preset : presets) {
            const auto& by_format = urls.at(preset->name);
            if (const auto url = by_format.find(format); url != by_format.end()) {
                set += (set.empty() ? "" : ", ") + escape_html(url->second) + " " +
                       std::to_string(preset->width) + "w";
            }
        }
        return set;
    };
    const auto* largest = presets.back();
    const std::string sizes = "(max-width: " + std::to_string(presets.front()->width) +
                              "px) 100vw, " + std::to_string(largest->width) + "px";
    // The <img> takes the last format the largest preset offers (JPEG or PNG in practice);
    // every other format becomes a <source>, in order of preference.
    const auto& largest_urls = urls.at(largest->name);
    std::string fallback = formats.back();
    for (auto format = formats.rbegin(); format != formats.rend(); ++format) {
        if (largest_urls.contains(*format)) {
            fallback = *format;
            break;
        }
    }
    std::string html = "<picture>";
    for (const auto& format : formats) {
        if (format != fallback && !srcset(format).empty()) {
            html += "<source type=\"image/" + format + "\" srcset=\"" + srcset(format) +
                    "\" sizes=\"" + sizes + "\">";
        }
    }
    const std::string src = largest_urls.at(fallback);
    html += "<img src=\"" + escape_html(src) + "\" srcset=\"" + srcset(fallback) + "\" sizes=\"" +
            sizes + "\" alt=\"" + escape_html(alt) +
            "\" loading=\"lazy\" decoding=\"async\"></picture>";
    return html;
}

// The presets an embed lists: ?presets=a,b (1 to 16 names), else every configured preset.
Expected<std::vector<std::string>> preset_names(
    const SteeringContext& context, const std::map<std::string, std::string, std::less<>>& query) {
    std::vector<std::string> names;
    if (const auto listed = query.find("presets"); listed != query.end()) {
        for (std::size_t at = 0; at <= listed->second.size();) {
            const auto comma = std::min(listed->second.find(',', at), listed->second.size());
            names.push_back(listed->second.substr(at, comma - at));
            at = comma + 1;
        }
    } else {
        for (const auto& preset : context.config.presets) {
            names.push_back(preset.name);
        }
    }
    if (names.empty() || names.size() > kMaxEmbedPresets) {
        return fail(ErrorCode::BadRequest, "presets lists 1 to 16 preset names");
    }
    return names;
}

// What an embed asks for besides the image: the presets, the carrier, the alt text, and where
// it is shown (a web page, or a WeChat mini-program, whose image component shows WebP only with
// webp="true": it gets JPEG/PNG URLs alone, so no shop's mini-program shows a blank image).
struct EmbedAsk {
    std::map<std::string, std::string, std::less<>> query;
    std::vector<std::string> presets;
    std::string alt;
    bool wechat = false;
};

// `slot_query`: the query may name a slot too (a product's embed).
Expected<EmbedAsk> embed_ask(const SteeringContext& context,
                             const Request& request,
                             bool slot_query = false) {
    auto query = slot_query
                     ? parse_query(request.query, {"presets", "carrier", "alt", "client", "slot"})
                     : parse_query(request.query, {"presets", "carrier", "alt", "client"});
    if (!query) {
        return tl::unexpected(query.error());
    }
    EmbedAsk ask{std::move(*query), {}, {}, false};
    if (const auto client = ask.query.find("client"); client != ask.query.end()) {
        if (client->second != "web" && client->second != "wechat") {
            return fail(ErrorCode::BadRequest, "client must be web or wechat");
        }
        ask.wechat = client->second == "wechat";
    }
    ask.alt = ask.query["alt"];
    if (ask.alt.size() > kMaxAlt || !is_plain_text(ask.alt)) {
        return fail(ErrorCode::BadRequest,
                    "alt must be UTF-8 text of at most 200 bytes without control characters");
    }
    auto names = preset_names(context, ask.query);
    if (!names) {
        return tl::unexpected(names.error());
    }
    ask.presets = std::move(*names);
    return ask;
}

// One image's embed: {"presets": [...], "html": "<picture>…"}, where `path_of(preset, format)`
// is the image's path for each preset and format. The JSON, the URLs and the <picture> come
// from the same loop over the presets.
template <class PathOf>
Expected<boost::json::object> picture_embed(const SteeringContext& context,
                                            const Request& request,
                                            const EmbedAsk& ask,
                                            const Steering& steering,
                                            PathOf path_of) {
    std::vector<const config::PresetConfig*> presets;
    std::vector<std::string> formats;  // in the first preset's order of preference
    std::map<std::string, std::map<std::string, std::string>> urls;
    boost::json::array listed;
    for (const auto& name : ask.presets) {
        auto address = app::parse_preset_file(context.config, *context.preset_versions, name);
        if (!address) {
            return tl::unexpected(address.error());
        }
        if (address->format) {  // an embed lists every format of each preset itself
            return fail(ErrorCode::BadRequest,
                        "presets takes preset names without an extension: '" + name + "'");
        }
        if (ask.wechat) {
            std::erase_if(address->offered, [](ImageFormat format) {
                return format != ImageFormat::Jpeg && format != ImageFormat::Png;
            });
        }
        if (address->offered.empty()) {
            return fail(ErrorCode::NotFound,
                        "the preset '" + name + "' has no format " +
                            (ask.wechat ? "a WeChat mini-program shows as it is (JPEG or PNG)"
                                        : "this server writes"));
        }
        presets.push_back(address->preset);
        boost::json::object by_format;
        for (const ImageFormat offered : address->offered) {
            const std::string format(format_name(offered));
            urls[name][format] =
                url_for(context, request, steering.choice, path_of(*address->preset, offered));
            by_format[format] = urls[name][format];
            if (std::find(formats.begin(), formats.end(), format) == formats.end()) {
                formats.push_back(format);
            }
        }
        listed.push_back({{"name", name},
                          {"width", address->preset->width},
                          {"height", address->preset->height},
                          {"urls", std::move(by_format)}});
    }
    std::stable_sort(presets.begin(), presets.end(),
                     [](const auto* a, const auto* b) { return a->width < b->width; });
    boost::json::object embed{{"presets", std::move(listed)},
                              {"html", picture_html(presets, formats, urls, ask.alt)}};
    if (ask.wechat) {
        // The mini-program's <image>: the largest preset, its width following the layout.
        const auto& largest = urls.at(presets.back()->name);
        const std::string& src =
            largest.contains("jpeg") ? largest.at("jpeg") : largest.begin()->second;
        embed["wxml"] = "<image src=\"" + escape_html(src) +
                        "\" mode=\"widthFix\" lazy-load=\"true\" aria-label=\"" +
                        escape_html(ask.alt) + "\"></image>";
    }
    return embed;
}

boost::json::object steering_json(const Steering& steering) {
    return {{"carrier", steering.carrier},
            {"edge", steering.choice.edge ? boost::json::value(steering.choice.edge->name)
                                          : boost::json::value(nullptr)},
            {"reason", cdn::reason_name(steering.choice.reason)}};
}

Expected<Reply> embed(const SteeringContext& context, const Request& request) {
    const std::string id(request.params.get("id"));
    if (!storage::is_valid_id(id)) {
        return fail(ErrorCode::NotFound, "there is no image at this address");
    }
    if (auto present = app::refuse_if_deleted(context.store, id); !present) {
        return tl::unexpected(present.error());
    }
    auto ask = embed_ask(context, request);
    if (!ask) {
        return tl::unexpected(ask.error());
    }
    auto steering = steer(context, request, id, ask->query);
    if (!steering) {
        return tl::unexpected(steering.error());
    }
    auto picture = picture_embed(context, request, *ask, *steering,
                                 [&](const config::PresetConfig& preset, ImageFormat format) {
                                     return app::current_rendition_path(*context.preset_versions,
                                                                        id, preset.name, format);
                                 });
    if (!picture) {
        return tl::unexpected(picture.error());
    }
    boost::json::object body = steering_json(*steering);
    body["id"] = id;
    body["presets"] = std::move(picture->at("presets"));
    body["html"] = std::move(picture->at("html"));
    if (const auto* wxml = picture->if_contains("wxml")) {
        body["wxml"] = *wxml;
    }
    Reply reply = Reply::json(200, body);
    describe_choice(reply, context, *steering);
    return reply;
}

// /v1/embed/sku/{owner}/{sku}[?slot=]: a <picture> per slot that shows an image, each with
// the slot's URLs (they follow reshoots), all on one edge chosen for the viewer.
Expected<Reply> embed_sku(const SteeringContext& context, const Request& request) {
    auto named = product_of(context, request);
    if (!named) {
        return tl::unexpected(named.error());
    }
    const std::string& owner = named->first;  // captured below: no structured binding
    const std::string& sku = named->second;
    auto ask = embed_ask(context, request, true);
    if (!ask) {
        return tl::unexpected(ask.error());
    }
    const std::string only = ask->query["slot"];
    if (!only.empty() && !storage::is_slot_name(only)) {
        return fail(ErrorCode::BadRequest, std::string(storage::kSlotHint));
    }
    auto product = context.slots.product(owner, sku);
    if (!product) {
        return tl::unexpected(product.error());
    }
    auto steering = steer(context, request, owner + "/" + sku, ask->query);
    if (!steering) {
        return tl::unexpected(steering.error());
    }
    boost::json::array slots;
    for (const auto& slot : product->slots) {
        const auto* shown = slot.current();
        if (shown == nullptr || (!only.empty() && slot.name != only)) {
            continue;
        }
        auto picture =
            picture_embed(context, request, *ask, *steering,
                          [&](const config::PresetConfig& preset, ImageFormat format) {
                              return app::slot_path(owner, sku, slot.name, preset.name, format);
                          });
        if (!picture) {
            return tl::unexpected(picture.error());
        }
        picture->emplace("slot", slot.name);
        picture->emplace("role", storage::slot_role(slot.name));
        picture->emplace("id", shown->id);
        slots.push_back(std::move(*picture));
    }
    if (slots.empty()) {
        return fail(ErrorCode::NotFound, only.empty() ? "this product has no slot with an image"
                                                      : "this slot shows no image");
    }
    boost::json::object body = steering_json(*steering);
    body["owner"] = owner;
    body["sku"] = sku;
    body["slots"] = std::move(slots);
    Reply reply = Reply::json(200, body);
    describe_choice(reply, context, *steering);
    return reply;
}

}  // namespace

std::vector<Route> steering_routes(const SteeringContext& context) {
    // Pure CPU on data in memory: answered on the I/O thread.
    return {
        Route{{Method::Get},
              "/go/{id}/{file}",
              "steer",
              bind_handler(context, go),
              Execution::Inline,
              std::nullopt},
        Route{{Method::Get},
              "/go/p/{owner}/{sku}/{slot}/{file}",
              "steer_slot",
              bind_handler(context, go_slot),
              Execution::Inline,
              std::nullopt},
        Route{{Method::Get},
              "/v1/embed/{id}",
              "embed",
              bind_handler(context, embed),
              Execution::Inline,
              std::nullopt},
        // Reads the product (a disk or the network) unless it is remembered.
        Route{{Method::Get},
              "/v1/embed/sku/{owner}/{sku}",
              "embed_sku",
              bind_handler(context, embed_sku),
              Execution::Worker,
              std::nullopt},
    };
}

}  // namespace imgline::server
