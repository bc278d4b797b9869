#include "server/handlers/health_handler.h"

#include "pipeline/capabilities.h"
#include "server/server.h"
#include "storage/data_dir.h"

#include <boost/json.hpp>

namespace imgline::server {
namespace {

// What this build can really read and write (detected at start-up by trying), so operators
// see at a glance whether AVIF is on.
boost::json::object formats_json() {
    boost::json::array read;
    boost::json::array write;
    for (auto format : pipeline::readable_formats()) {
        read.emplace_back(pipeline::format_name(format));
    }
    for (auto format : pipeline::writable_formats()) {
        write.emplace_back(pipeline::format_name(format));
    }
    return {{"read", std::move(read)}, {"write", std::move(write)}};
}

}  // namespace

Route healthz_route() {
    return Route{
        {Method::Get},
        "/healthz",
        "healthz",
        [](const Request&) -> Expected<Reply> {
            return Reply::json(200, {{"status", "ok"}}).with_header("Cache-Control", "no-store");
        },
        Execution::Inline,
        std::nullopt};
}

Route readyz_route(Server& server, std::string data_dir) {
    auto handler = [&server, data_dir = std::move(data_dir)](const Request&) -> Expected<Reply> {
        const auto storage = storage::probe_writable(data_dir);
        const bool accepting = !server.is_draining();
        const bool ready = storage.has_value() && accepting;
        boost::json::object checks{{"storage", storage ? "ok" : storage.error().public_message},
                                   {"config", "loaded"},
                                   {"accepting", accepting}};
        return Reply::json(ready ? 200 : 503, {{"status", ready ? "ready" : "not_ready"},
                                               {"checks", checks},
                                               {"formats", formats_json()}})
            .with_header("Cache-Control", "no-store");
    };
    return Route{{Method::Get},      "/readyz",         "readyz",
                 std::move(handler), Execution::Worker, std::nullopt};
}

}  // namespace imgline::server
