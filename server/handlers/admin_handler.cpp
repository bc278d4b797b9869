#include "server/handlers/admin_handler.h"

#include "app/rendition_address.h"
#include "app/services.h"
#include "server/query.h"
#include "server/request.h"
#include "storage/original_record.h"

#include <boost/json.hpp>

namespace imgline::server {
namespace {

constexpr std::size_t kShownProblems = 100;

Expected<Reply> purge(const AdminContext& context, const Request& request) {
    auto query = parse_query(request.query, {"id"});
    if (!query) {
        return tl::unexpected(query.error());
    }
    const std::string id = (*query)["id"];
    if (!storage::is_valid_id(id)) {
        return fail(ErrorCode::BadRequest, "id must be an original id (64 lower-case hex digits)");
    }
    const auto paths = app::rendition_paths(context.config, id, context.versions.known());
    if (auto queued = context.purges.purge(paths); !queued) {
        return tl::unexpected(queued.error());
    }
    Reply reply = Reply::json(
        202, {{"id", id}, {"paths", paths.size()}, {"edges", context.config.edges.size()}});
    reply.with_header("Cache-Control", "no-store");
    return reply;
}

Expected<Reply> reload(const AdminContext& context, const Request& /*request*/) {
    const app::CarrierLoad load = context.carriers.load();
    app::log_carrier_load(load);
    boost::json::array problems;
    for (std::size_t i = 0; i < load.problems.size() && i < kShownProblems; ++i) {
        problems.push_back(boost::json::value(load.problems[i]));
    }
    boost::json::object body{{"reloaded", load.swapped},
                             {"prefixes", load.prefixes},
                             {"intervals", load.intervals},
                             {"ms", load.milliseconds},
                             {"problems", std::move(problems)}};
    int status = load.swapped ? 200 : 503;
    if (context.reload_config) {
        boost::json::object config = context.reload_config();
        if (status == 200 && !config.at("problems").as_array().empty()) {
            status = 422;  // the file has mistakes: nothing of it was taken
        }
        body["config"] = std::move(config);
    }
    Reply reply = Reply::json(status, body);
    reply.with_header("Cache-Control", "no-store");
    return reply;
}

// ?presets=a,b&per_second=2&all=true
Expected<Reply> start_rerender(const AdminContext& context, const Request& request) {
    auto query = parse_query(request.query, {"presets", "per_second", "all"});
    if (!query) {
        return tl::unexpected(query.error());
    }
    app::RerenderAsk ask;
    const std::string& presets = (*query)["presets"];
    for (std::size_t at = 0; at < presets.size();) {
        const auto comma = std::min(presets.find(',', at), presets.size());
        ask.presets.push_back(presets.substr(at, comma - at));
        at = comma + 1;
    }
    if (const auto rate = query->find("per_second"); rate != query->end()) {
        char* end = nullptr;
        ask.per_second = std::strtod(rate->second.c_str(), &end);
        if (rate->second.empty() || end != rate->second.c_str() + rate->second.size()) {
            return fail(ErrorCode::BadRequest, "per_second must be a number");
        }
    }
    if (const auto all = query->find("all"); all != query->end()) {
        if (all->second != "true" && all->second != "false") {
            return fail(ErrorCode::BadRequest, "all must be true or false");
        }
        ask.all = all->second == "true";
    }
    if (auto started = context.rerenderer.start(std::move(ask), context.renditions, context.config,
                                                context.store, context.demand);
        !started) {
        return tl::unexpected(started.error());
    }
    return Reply::json(202, context.rerenderer.status()).with_header("Cache-Control", "no-store");
}

Expected<Reply> rerender_status(const AdminContext& context, const Request& /*request*/) {
    return Reply::json(200, context.rerenderer.status()).with_header("Cache-Control", "no-store");
}

}  // namespace

std::vector<Route> admin_routes(const AdminContext& context) {
    return {Route{{Method::Post},
                  "/v1/admin/reload",
                  "admin_reload",
                  bind_handler(context, reload),
                  Execution::Worker,
                  std::nullopt,
                  {},
                  admins_only(context.auth)},
            Route{{Method::Post},
                  "/v1/admin/rerender",
                  "admin_rerender",
                  bind_handler(context, start_rerender),
                  Execution::Inline,
                  std::nullopt,
                  {},
                  admins_only(context.auth)},
            Route{{Method::Get},
                  "/v1/admin/rerender",
                  "admin_rerender_status",
                  bind_handler(context, rerender_status),
                  Execution::Inline,
                  std::nullopt,
                  {},
                  admins_only(context.auth)},
            Route{{Method::Post},
                  "/v1/purge",
                  "purge",
                  bind_handler(context, purge),
                  Execution::Worker,
                  std::nullopt,
                  {},
                  admins_only(context.auth)}};
}

}  // namespace imgline::server
