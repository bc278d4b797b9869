#include "server/handlers/metrics_handler.h"

#include "server/server.h"

namespace imgline::server {

Route metrics_route(Server& server) {
    auto handler = [&server](const Request&) -> Expected<Reply> {
        server.refresh_gauges();
        return Reply::bytes(200, "text/plain; version=0.0.4; charset=utf-8",
                            server.metrics().serialize())
            .with_header("Cache-Control", "no-store");
    };
    return Route{{Method::Get},      "/metrics",        "metrics",
                 std::move(handler), Execution::Inline, std::nullopt};
}

}  // namespace imgline::server
