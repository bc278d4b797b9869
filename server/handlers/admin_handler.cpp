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
                  "/v1/purge",
                  "purge",
                  bind_handler(context, purge),
                  Execution::Worker,
                  std::nullopt,
                  {},
                  admins_only(context.auth)}};
}

}  // namespace imgline::server
