#pragma once

#include "common/deadline.h"
#include "server/http_types.h"
#include "server/router.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imgline::server {

/// What a handler sees of one request. It refers to the session's parsed message, which
/// outlives the handler call (the session waits for the reply before touching it again).
struct Request {
    const HttpRequest& http;
    Method method = Method::Other;
    /// Percent-decoded path segments and the raw query string (without '?').
    std::vector<std::string> segments;
    std::string query;
    RouteParams params;
    std::string request_id;
    /// The TCP peer's address ("127.0.0.1"); proxies are not trusted here.
    std::string peer_address;
    /// Where the peer reached this server, "host:port" ("127.0.0.1:8080", "[::1]:8080"): the
    /// socket's own address, never anything the client wrote.
    std::string local_address;
    /// When the server stops waiting for this request's work (render timeout).
    Deadline deadline;
    /// The caller, on routes with a key check (Route::key_check); empty on public routes.
    std::optional<app::Party> party;

    /// A request header's value, or empty.
    std::string_view header(http::field name) const {
        auto found = http.find(name);
        return found == http.end() ? std::string_view{} : std::string_view(found->value());
    }

    std::string_view header(std::string_view name) const {
        auto found = http.find(name);
        return found == http.end() ? std::string_view{} : std::string_view(found->value());
    }

    /// The whole body, wherever it was held (memory or a mapped temporary file).
    std::string_view body() const {
        return http.body().view();
    }
};

}  // namespace imgline::server
