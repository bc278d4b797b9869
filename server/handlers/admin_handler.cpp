#include "server/handlers/admin_handler.h"

#include "server/request.h"
#include "server/services.h"

#include <boost/json.hpp>

namespace imgline::server {
namespace {

constexpr std::size_t kShownProblems = 100;

Expected<Reply> reload(const AdminContext& context, const Request& request) {
    auto party = context.auth.authenticate(request.header(http::field::authorization));
    if (!party) {
        return tl::unexpected(party.error());
    }
    if (!party->is_admin()) {
        return fail(ErrorCode::Forbidden, "only an admin key may reload");
    }
    const CarrierLoad load = context.carriers.load();
    log_carrier_load(load);
    boost::json::array problems;
    for (std::size_t i = 0; i < load.problems.size() && i < kShownProblems; ++i) {
        problems.push_back(boost::json::value(load.problems[i]));
    }
    Reply reply = Reply::json(load.swapped ? 200 : 503, {{"reloaded", load.swapped},
                                                         {"prefixes", load.prefixes},
                                                         {"intervals", load.intervals},
                                                         {"ms", load.milliseconds},
                                                         {"problems", std::move(problems)}});
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
                  std::nullopt}};
}

}  // namespace imgline::server
