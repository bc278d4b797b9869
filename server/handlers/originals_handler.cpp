#include "server/handlers/originals_handler.h"

#include "app/brand_fixes.h"
#include "app/brand_report.h"
#include "app/rendition_address.h"
#include "cdn/cache_policy.h"
#include "common/image_format.h"
#include "common/log.h"
#include "common/sha256.h"
#include "common/text.h"
#include "pipeline/brand_check.h"
#include "pipeline/inspect.h"
#include "server/handlers/product_handler.h"
#include "server/multipart.h"
#include "server/original_address.h"
#include "server/public_url.h"
#include "server/query.h"
#include "server/ranged_reply.h"
#include "server/request.h"

#include <algorithm>
#include <future>

#include <boost/json.hpp>

namespace imgline::server {
namespace {

constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kDefaultPage = 50;
constexpr std::size_t kMaxPage = 200;

// The labels an uploader may attach, checked strictly.
struct Labels {
    std::string sku;
    std::string role;
    std::string title;
    std::string slot;  // the product slot to point at the upload (needs the sku)
};

// The slot file `index` of an upload goes to: the named one for the first; for several files,
// detail-n and ad-n count on (detail-2, detail-3, ...). Empty when no slot was named.
std::string slot_for(const std::string& slot, std::size_t index) {
    if (slot.empty() || index == 0) {
        return slot;
    }
    const auto dash = slot.rfind('-');
    return slot.substr(0, dash + 1) + std::to_string(std::stoul(slot.substr(dash + 1)) + index);
}

Expected<void> check_slot(Labels& labels, std::size_t files) {
    if (labels.slot.empty()) {
        return {};
    }
    if (!storage::is_slot_name(labels.slot)) {
        return fail(ErrorCode::BadRequest, std::string(storage::kSlotHint));
    }
    if (labels.sku.empty()) {
        return fail(ErrorCode::BadRequest, "a slot needs the product's sku");
    }
    const std::string_view role = storage::slot_role(labels.slot);
    if (!labels.role.empty() && labels.role != role) {
        return fail(ErrorCode::BadRequest, "the slot '" + labels.slot + "' holds " +
                                               std::string(role) + " images, not " + labels.role);
    }
    labels.role = std::string(role);
    if (files > 1 && !storage::is_slot_name(slot_for(labels.slot, files - 1))) {
        return fail(ErrorCode::BadRequest,
                    "several files fill detail-n or ad-n slots one after another (up to 99); "
                    "the slot '" +
                        labels.slot + "' takes one file");
    }
    return {};
}

Expected<void> check_labels(const Labels& labels) {
    if (!labels.sku.empty() && !storage::is_sku(labels.sku)) {  // the SKU is optional
        return fail(ErrorCode::BadRequest, std::string(storage::kSkuHint));
    }
    if (!labels.role.empty() && !app::is_image_role(labels.role)) {
        return fail(ErrorCode::BadRequest, std::string(app::kRoleHint));
    }
    // Stored in the record and shown in JSON: UTF-8 only, or the record could not be read.
    if (labels.title.size() > kMaxTitle || !is_plain_text(labels.title)) {
        return fail(ErrorCode::BadRequest,
                    "title must be UTF-8 text of at most 200 bytes without control characters");
    }
    return {};
}

boost::json::object describe(const storage::OriginalRecord& record,
                             const OriginalsContext& context,
                             const std::string& base) {
    boost::json::object json = storage::to_json(record).as_object();
    boost::json::object urls;
    for (const auto& preset : context.config.presets) {
        urls[preset.name] =
            base + app::current_rendition_path(*context.preset_versions, record.id, preset.name);
    }
    json["urls"] = std::move(urls);
    return json;
}

struct Upload {
    std::string_view bytes;
    std::string filename;
};

// One file through inspection, the owner's brand check and, unless the brand refuses it,
// into the store (with its mezzanines first) and into its product slot when one is named.
struct UploadOutcome {
    std::optional<storage::StoredOriginal> stored;  // empty: the brand refused the photo
    boost::json::object report;
    std::string slot;  // the slot pointed at it, when one was named
    std::optional<app::SlotChange> slot_change;
};

Expected<UploadOutcome> store_one(const OriginalsContext& context,
                                  const app::Party& party,
                                  const Upload& upload,
                                  const Labels& labels,
                                  const std::string& slot,
                                  const Request& request) {
    auto info = pipeline::inspect(upload.bytes, context.config.limits, request.deadline);
    if (!info) {
        return tl::unexpected(info.error());
    }
    const config::BrandConfig& brand = app::brand_of_owner(context.config, party.name);
    auto report = pipeline::check_brand(upload.bytes, *info, brand,
                                        labels.role.empty() ? app::kDefaultRole : labels.role,
                                        request.deadline);
    if (!report) {
        return tl::unexpected(report.error());
    }
    UploadOutcome outcome{std::nullopt, app::report_json(*report), {}, std::nullopt};
    if (report->blocked) {
        return outcome;
    }
    storage::OriginalRecord record;
    record.owner = party.name;
    record.owner_kind = party.kind;
    record.format = std::string(pipeline::format_name(info->format));
    record.width = info->width;
    record.height = info->height;
    record.sku = labels.sku;
    record.role = labels.role;
    record.title = labels.title;
    record.brand = brand.name;
    record.brand_report = outcome.report;
    record.fixes = app::promised_fixes(*report);
    // The bytes go to the store while the mezzanines are made: with an object store the
    // upload's largest write overlaps its largest computation.
    auto bytes_stored =
        std::async(std::launch::async, [&] { return context.store.put_bytes(upload.bytes); });
    // The mezzanines later renders start from, kept before the original's record so that no
    // render of this id starts from the original once they could exist. A failure costs only
    // speed (renders then decode the original), so it is logged and the upload goes on.
    context.mezzanines.keep(sha256_hex(upload.bytes), upload.bytes, *info, request.deadline);
    if (auto written = bytes_stored.get(); !written) {
        return tl::unexpected(written.error());
    }
    auto stored = context.store.put(upload.bytes, std::move(record));
    if (!stored) {
        return tl::unexpected(stored.error());
    }
    if (stored->created && context.on_stored) {
        context.on_stored(stored->record.id);
    }
    outcome.stored = std::move(*stored);
    if (!slot.empty()) {
        auto change = context.slots.point(context.config, party, party.name, labels.sku, slot,
                                          outcome.stored->record.id);
        if (!change) {
            return tl::unexpected(change.error());
        }
        outcome.slot = slot;
        outcome.slot_change = std::move(*change);
    }
    return outcome;
}

Error refusal(const boost::json::object& report) {
    return make_error(ErrorCode::BrandRulesFailed, "the photo fails rules of the brand '" +
                                                       std::string(report.at("brand").as_string()) +
                                                       "' for " +
                                                       std::string(report.at("role").as_string()) +
                                                       " images; nothing was stored (see report)");
}

Reply refused_reply(const boost::json::object& report, const Request& request) {
    boost::json::object body =
        boost::json::parse(error_json(refusal(report), request.request_id)).as_object();
    body["report"] = report;
    Reply reply = Reply::json(http_status(ErrorCode::BrandRulesFailed), body);
    reply.with_header("Cache-Control", "no-store");
    return reply;
}

// The upload's entry: the record and its URLs, and the slot it went into.
boost::json::object stored_json(const UploadOutcome& outcome,
                                const OriginalsContext& context,
                                const std::string& base) {
    auto entry = describe(outcome.stored->record, context, base);
    if (outcome.slot_change) {
        const auto& product = outcome.slot_change->product;
        entry["slot"] = {
            {"name", outcome.slot},
            {"changed", outcome.slot_change->changed},
            {"urls", slot_urls(context.config, product.owner, product.sku, outcome.slot, base)}};
    }
    return entry;
}

Expected<Reply> upload_raw(const OriginalsContext& context,
                           const app::Party& party,
                           const Request& request) {
    auto query = parse_query(request.query, {"sku", "role", "title", "slot"});
    if (!query) {
        return tl::unexpected(query.error());
    }
    Labels labels{(*query)["sku"], (*query)["role"], (*query)["title"], (*query)["slot"]};
    if (auto valid = check_labels(labels); !valid) {
        return tl::unexpected(valid.error());
    }
    if (auto valid = check_slot(labels, 1); !valid) {
        return tl::unexpected(valid.error());
    }
    auto outcome =
        store_one(context, party, Upload{request.body(), {}}, labels, labels.slot, request);
    if (!outcome) {
        return tl::unexpected(outcome.error());
    }
    if (!outcome->stored) {
        return refused_reply(outcome->report, request);
    }
    return Reply::json(outcome->stored->created ? 201 : 200,
                       stored_json(*outcome, context, public_base_url(context.config, request)));
}

// Several files at once (the upload page): each gets its own entry, stored or refused.
Expected<Reply> upload_multipart(const OriginalsContext& context,
                                 const app::Party& party,
                                 const Request& request,
                                 const std::string& boundary) {
    auto parts = parse_multipart(request.body(), boundary);
    if (!parts) {
        return tl::unexpected(parts.error());
    }
    Labels labels;
    std::vector<Upload> files;
    for (const auto& part : *parts) {
        if (!part.filename.empty() || part.name == "file") {
            files.push_back(Upload{part.body, part.filename});
        } else if (part.name == "sku") {
            labels.sku = std::string(part.body);
        } else if (part.name == "role") {
            labels.role = std::string(part.body);
        } else if (part.name == "title") {
            labels.title = std::string(part.body);
        } else if (part.name == "slot") {
            labels.slot = std::string(part.body);
        } else {
            return fail(ErrorCode::BadRequest, "unknown form field '" + part.name + "'");
        }
    }
    if (auto valid = check_labels(labels); !valid) {
        return tl::unexpected(valid.error());
    }
    if (files.empty()) {
        return fail(ErrorCode::BadRequest, "the form holds no file");
    }
    if (auto valid = check_slot(labels, files.size()); !valid) {
        return tl::unexpected(valid.error());
    }
    boost::json::array results;
    std::optional<Error> first_error;
    bool any_created = false;
    bool any_stored = false;
    const std::string base = public_base_url(context.config, request);
    for (std::size_t index = 0; index < files.size(); ++index) {
        const Upload& file = files[index];
        auto outcome =
            store_one(context, party, file, labels, slot_for(labels.slot, index), request);
        if (!outcome) {
            if (outcome.error().code == ErrorCode::InsufficientStorage ||
                outcome.error().code == ErrorCode::StorageUnavailable) {
                return tl::unexpected(outcome.error());  // the server's trouble, not the file's
            }
            first_error = first_error.value_or(outcome.error());
            results.push_back({{"filename", file.filename},
                               {"error",
                                {{"code", error_slug(outcome.error().code)},
                                 {"message", outcome.error().public_message}}}});
            continue;
        }
        if (!outcome->stored) {
            const Error refused = refusal(outcome->report);
            first_error = first_error.value_or(refused);
            results.push_back(
                {{"filename", file.filename},
                 {"error",
                  {{"code", error_slug(refused.code)}, {"message", refused.public_message}}},
                 {"report", outcome->report}});
            continue;
        }
        const auto& stored = *outcome->stored;
        any_created = any_created || stored.created;
        any_stored = true;
        auto entry = stored_json(*outcome, context, base);
        entry["filename"] = file.filename;
        entry["created"] = stored.created;
        results.push_back(std::move(entry));
    }
    const int status = any_created ? 201 : any_stored ? 200 : http_status(first_error->code);
    return Reply::json(status, {{"originals", std::move(results)}});
}

Expected<Reply> upload(const OriginalsContext& context, const Request& request) {
    const app::Party& party = *request.party;
    const std::string_view type = request.header(http::field::content_type);
    if (const std::string boundary = multipart_boundary(type); !boundary.empty()) {
        return upload_multipart(context, party, request, boundary);
    }
    if (type.starts_with("image/") || type.starts_with("application/octet-stream")) {
        return upload_raw(context, party, request);
    }
    return fail(ErrorCode::UnsupportedMediaType,
                "send the image as the body with Content-Type image/*, or as "
                "multipart/form-data");
}

Expected<Reply> get_one(const OriginalsContext& context, const Request& request) {
    auto shown = visible_record(context.store, request);
    if (!shown) {
        return tl::unexpected(shown.error());
    }
    return Reply::json(200, describe(*shown, context, public_base_url(context.config, request)));
}

// The original as it was uploaded: the stored bytes, their type, a strong ETag (the bytes'
// SHA-256, which is the id) and Range.
Expected<Reply> get_file(const OriginalsContext& context, const Request& request) {
    auto shown = visible_record(context.store, request);
    if (!shown) {
        return tl::unexpected(shown.error());
    }
    const std::string etag = "\"" + shown->id + "\"";
    if (cdn::if_none_match_hits(request.header(http::field::if_none_match), etag) ||
        cdn::if_none_match_any(request.header(http::field::if_none_match))) {
        return Reply::bytes(304, "", "").with_header("ETag", etag);
    }
    auto bytes = context.store.read(shown->id);
    if (!bytes) {
        return tl::unexpected(bytes.error());
    }
    const auto format = parse_format_name(shown->format);
    const std::string type(format ? mime_type(*format) : "application/octet-stream");
    const std::uint64_t size = bytes->size();
    auto answered = answer_range(request, size);
    if (auto* refused = std::get_if<Reply>(&answered)) {
        return std::move(*refused);
    }
    const RangeAnswer& part = std::get<RangeAnswer>(answered);
    Reply reply = Reply::bytes(
        part.status, type,
        part.status == 206 ? bytes->substr(part.range.first, part.length) : std::move(*bytes));
    add_range_headers(reply, part, size);
    // Private: the owner's key fetched it; a shared cache must not keep it for others.
    reply.with_header("ETag", etag).with_header("Cache-Control", "private, no-cache");
    return reply;
}

Expected<Reply> list(const OriginalsContext& context, const Request& request) {
    const app::Party& party = *request.party;
    auto query = parse_query(request.query, {"sku", "limit", "after", "owner"});
    if (!query) {
        return tl::unexpected(query.error());
    }
    std::string owner = party.name;
    if (const auto asked = query->find("owner"); asked != query->end()) {
        if (auto allowed = app::require_owner_or_admin(party, asked->second); !allowed) {
            return tl::unexpected(allowed.error());
        }
        owner = asked->second;
    }
    std::size_t limit = kDefaultPage;
    if (const auto given = query->find("limit"); given != query->end()) {
        const auto value = std::strtoul(given->second.c_str(), nullptr, 10);
        if (value < 1 || value > kMaxPage ||
            given->second.find_first_not_of("0123456789") != std::string::npos) {
            return fail(ErrorCode::BadRequest, "limit must be a number from 1 to 200");
        }
        limit = value;
    }
    const std::string after = (*query)["after"];
    if (!after.empty() && !storage::is_valid_id(after)) {
        return fail(ErrorCode::BadRequest, "after must be an original id");
    }
    if (!app::is_party(context.config, owner)) {
        return fail(ErrorCode::NotFound, "no such party");
    }
    auto page = context.store.list(owner, (*query)["sku"], after, limit);
    if (!page) {
        return tl::unexpected(page.error());
    }
    boost::json::array items;
    const std::string base = public_base_url(context.config, request);
    for (const auto& record : page->items) {
        items.push_back(describe(record, context, base));
    }
    boost::json::object body{{"originals", std::move(items)}};
    body["next_after"] = page->next_after.empty() ? boost::json::value(nullptr)
                                                  : boost::json::value(page->next_after);
    return Reply::json(200, body);
}

Expected<Reply> remove(const OriginalsContext& context, const Request& request) {
    auto found = address_original(context.store, request);
    if (!found) {
        return tl::unexpected(found.error());
    }
    const std::string& id = found->id;
    // Every record the caller may remove, readable or not (an unreadable one cannot be shown,
    // but its owner and admins can still delete it).
    std::vector<std::string> owners;
    for (const auto& owner : found->owners) {
        if (found->party.is_admin() || owner == found->party.name) {
            owners.push_back(owner);
        }
    }
    if (owners.empty()) {
        return fail(ErrorCode::Forbidden, "this original belongs to another party");
    }
    // The products the removed records name: their slots may show this original.
    std::vector<std::pair<std::string, std::string>> products;
    for (const auto& owner : owners) {
        if (auto record = context.store.find(id, owner); record && !record->sku.empty()) {
            products.emplace_back(owner, record->sku);
        }
    }
    for (const auto& owner : owners) {
        auto removed = context.store.remove(id, owner);
        if (!removed && removed.error().code != ErrorCode::NotFound) {
            return tl::unexpected(removed.error());
        }
    }
    const bool gone = context.store.is_deleted(id);
    if (gone) {
        // Journalled before the answer: the edges drop their copies even if this process dies.
        auto paths = app::rendition_paths(context.config, id, context.versions.known());
        for (const auto& [owner, sku] : products) {
            auto shown = context.slots.paths_showing(context.config, owner, sku, id);
            paths.insert(paths.end(), shown.begin(), shown.end());
        }
        if (auto queued = context.purges.purge(paths); !queued) {
            return tl::unexpected(queued.error());
        }
    }
    return Reply::json(200, {{"id", id}, {"deleted", true}, {"gone", gone}});
}

}  // namespace

std::vector<Route> originals_routes(const OriginalsContext& context) {
    // Each handler touches the disk (and uploads decode), so all run on the worker pool.
    return {
        Route{{Method::Post},
              "/v1/originals",
              "originals_upload",
              bind_handler(context, upload),
              Execution::Worker,
              context.config.limits.upload_bytes,
              {},
              any_party(context.auth)},
        Route{{Method::Get},
              "/v1/originals",
              "originals_list",
              bind_handler(context, list),
              Execution::Worker,
              std::nullopt,
              {},
              any_party(context.auth)},
        Route{{Method::Get},
              "/v1/originals/{id}",
              "originals_get",
              bind_handler(context, get_one),
              Execution::Worker,
              std::nullopt,
              {},
              any_party(context.auth)},
        Route{{Method::Get},
              "/v1/originals/{id}/file",
              "originals_file",
              bind_handler(context, get_file),
              Execution::Worker,
              std::nullopt,
              {},
              any_party(context.auth)},
        Route{{Method::Delete},
              "/v1/originals/{id}",
              "originals_delete",
              bind_handler(context, remove),
              Execution::Worker,
              std::nullopt,
              {},
              any_party(context.auth)},
    };
}

}  // namespace imgline::server
