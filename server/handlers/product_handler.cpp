#include "server/handlers/product_handler.h"

#include "app/rendition_address.h"
#include "server/public_url.h"
#include "server/query.h"
#include "server/request.h"

#include <boost/json.hpp>

namespace imgline::server {
namespace {

// A slot change's body: {"id": "<64 hex>"}; nothing else is read from it.
constexpr std::uint64_t kMaxChangeBody = 1024;

boost::json::value entry_json(const storage::SlotEntry& entry) {
    return {{"id", entry.id}, {"set_at", entry.set_at}, {"set_by", entry.set_by}};
}

// The owner a request names (?owner=), else the caller.
Expected<std::string> owner_of(const ProductsContext& context, const Request& request) {
    auto query = parse_query(request.query, {"owner"});
    if (!query) {
        return tl::unexpected(query.error());
    }
    std::string owner = request.party->name;
    if (const auto asked = query->find("owner"); asked != query->end()) {
        owner = asked->second;
    }
    if (!app::is_party(context.config, owner)) {
        return fail(ErrorCode::NotFound, "no such party");
    }
    return owner;
}

Reply change_reply(const ProductsContext& context,
                   const app::SlotChange& change,
                   const Request& request) {
    boost::json::object body =
        product_json(context.config, change.product, public_base_url(context.config, request));
    body["changed"] = change.changed;
    body["purge_queued"] = change.purge_queued;
    return Reply::json(200, body).with_header("Cache-Control", "no-store");
}

Expected<Reply> get_product(const ProductsContext& context, const Request& request) {
    auto owner = owner_of(context, request);
    if (!owner) {
        return tl::unexpected(owner.error());
    }
    const std::string sku(request.params.get("sku"));
    if (!storage::is_sku(sku)) {
        return fail(ErrorCode::BadRequest, std::string(storage::kSkuHint));
    }
    auto product = context.slots.product(*owner, sku);
    if (!product) {
        return tl::unexpected(product.error());
    }
    if (product->slots.empty()) {
        return fail(ErrorCode::NotFound, "'" + *owner + "' has no slots for this sku");
    }
    return Reply::json(200, product_json(context.config, *product,
                                         public_base_url(context.config, request)))
        .with_header("Cache-Control", "no-store");
}

Expected<Reply> put_slot(const ProductsContext& context, const Request& request) {
    auto owner = owner_of(context, request);
    if (!owner) {
        return tl::unexpected(owner.error());
    }
    boost::system::error_code ec;
    const auto body = boost::json::parse(request.body(), ec);
    const auto* id = !ec && body.is_object() ? body.as_object().if_contains("id") : nullptr;
    if (id == nullptr || !id->is_string()) {
        return fail(ErrorCode::BadRequest, "send {\"id\": \"<original id>\"} as JSON");
    }
    auto change =
        context.slots.point(context.config, *request.party, *owner, request.params.get("sku"),
                            request.params.get("slot"), id->as_string());
    if (!change) {
        return tl::unexpected(change.error());
    }
    return change_reply(context, *change, request);
}

Expected<Reply> clear_slot(const ProductsContext& context, const Request& request) {
    auto owner = owner_of(context, request);
    if (!owner) {
        return tl::unexpected(owner.error());
    }
    auto change = context.slots.clear(context.config, *request.party, *owner,
                                      request.params.get("sku"), request.params.get("slot"));
    if (!change) {
        return tl::unexpected(change.error());
    }
    return change_reply(context, *change, request);
}

}  // namespace

boost::json::object slot_urls(const config::Config& config,
                              std::string_view owner,
                              std::string_view sku,
                              std::string_view slot,
                              const std::string& base) {
    boost::json::object urls;
    for (const auto& preset : config.presets) {
        urls[preset.name] = base + app::slot_path(owner, sku, slot, preset.name);
    }
    return urls;
}

boost::json::object product_json(const config::Config& config,
                                 const storage::Product& product,
                                 const std::string& base) {
    boost::json::array slots;
    for (const auto& slot : product.slots) {
        boost::json::array earlier;
        for (auto entry = slot.history.rbegin(); entry != slot.history.rend(); ++entry) {
            if (&*entry != slot.current() && !entry->id.empty()) {
                earlier.push_back(entry_json(*entry));
            }
        }
        const auto* current = slot.current();
        slots.push_back({{"slot", slot.name},
                         {"role", storage::slot_role(slot.name)},
                         {"current", current ? entry_json(*current) : nullptr},
                         {"earlier", std::move(earlier)},
                         {"urls", slot_urls(config, product.owner, product.sku, slot.name, base)}});
    }
    return {{"owner", product.owner},
            {"sku", product.sku},
            {"revision", product.revision},
            {"slots", std::move(slots)}};
}

std::vector<Route> product_routes(const ProductsContext& context) {
    // Each reads or writes the product store (a disk or the network): on the worker pool.
    return {
        Route{{Method::Get},
              "/v1/products/{sku}",
              "products_get",
              bind_handler(context, get_product),
              Execution::Worker,
              std::nullopt,
              {},
              any_party(context.auth)},
        Route{{Method::Put},
              "/v1/products/{sku}/slots/{slot}",
              "products_slot_put",
              bind_handler(context, put_slot),
              Execution::Worker,
              kMaxChangeBody,
              {},
              any_party(context.auth)},
        Route{{Method::Delete},
              "/v1/products/{sku}/slots/{slot}",
              "products_slot_delete",
              bind_handler(context, clear_slot),
              Execution::Worker,
              std::nullopt,
              {},
              any_party(context.auth)},
    };
}

}  // namespace imgline::server
