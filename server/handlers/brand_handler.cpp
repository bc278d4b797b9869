#include "server/handlers/brand_handler.h"

#include "app/brand_fixes.h"
#include "app/brand_report.h"
#include "pipeline/brand_check.h"
#include "pipeline/inspect.h"
#include "server/original_address.h"
#include "server/query.h"
#include "server/request.h"

#include <algorithm>

namespace imgline::server {
namespace {

Expected<Reply> check(const BrandContext& context, const Request& request) {
    const app::Party& party = *request.party;
    auto query = parse_query(request.query, {"brand", "role"});
    if (!query) {
        return tl::unexpected(query.error());
    }
    const std::string role =
        query->contains("role") ? (*query)["role"] : std::string(app::kDefaultRole);
    if (!app::is_image_role(role)) {
        return fail(ErrorCode::BadRequest, std::string(app::kRoleHint));
    }
    const config::BrandConfig* brand = &app::brand_of_owner(context.config, party.name);
    if (const auto named = query->find("brand"); named != query->end()) {
        brand = config::find_brand(context.config, named->second);
        if (brand == nullptr) {
            return fail(ErrorCode::NotFound, "there is no brand named '" + named->second + "'");
        }
    }
    const std::string_view type = request.header(http::field::content_type);
    if (!type.starts_with("image/") && !type.starts_with("application/octet-stream")) {
        return fail(ErrorCode::UnsupportedMediaType,
                    "send the photo as the body with Content-Type image/*");
    }
    auto info = pipeline::inspect(request.body(), context.config.limits, request.deadline);
    if (!info) {
        return tl::unexpected(info.error());
    }
    auto report = pipeline::check_brand(request.body(), *info, *brand, role, request.deadline);
    if (!report) {
        return tl::unexpected(report.error());
    }
    Reply reply = Reply::json(200, app::report_json(*report));
    reply.with_header("Cache-Control", "no-store");
    return reply;
}

Expected<Reply> stored_report(const BrandContext& context, const Request& request) {
    auto shown = visible_record(context.store, request);
    if (!shown) {
        return tl::unexpected(shown.error());
    }
    if (shown->brand_report.empty()) {
        return fail(ErrorCode::NotFound,
                    "this original was stored before brand checks and has no report");
    }
    Reply reply = Reply::json(200, shown->brand_report);
    reply.with_header("Cache-Control", "no-store");
    return reply;
}

}  // namespace

std::vector<Route> brand_routes(const BrandContext& context) {
    // Both decode or touch the disk, so they run on the worker pool.
    return {
        Route{{Method::Post},
              "/v1/check",
              "brand_check",
              bind_handler(context, check),
              Execution::Worker,
              context.config.limits.upload_bytes,
              {},
              any_party(context.auth)},
        Route{{Method::Get},
              "/v1/originals/{id}/report",
              "brand_report",
              bind_handler(context, stored_report),
              Execution::Worker,
              std::nullopt,
              {},
              any_party(context.auth)},
    };
}

}  // namespace imgline::server
