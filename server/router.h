#pragma once

#include "app/auth.h"
#include "common/expected.h"
#include "server/method.h"
#include "server/reply.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace imgline::server {

struct Request;

/// Decoded `{name}` segments of a matched path, in pattern order.
class RouteParams {
public:
    void add(std::string name, std::string value) {
        items_.emplace_back(std::move(name), std::move(value));
    }

    /// The value for `name`, or empty.
    std::string_view get(std::string_view name) const {
        for (const auto& [key, value] : items_) {
            if (key == name) {
                return value;
            }
        }
        return {};
    }

    std::size_t size() const {
        return items_.size();
    }

private:
    std::vector<std::pair<std::string, std::string>> items_;
};

/// Where a handler runs: Inline on the I/O thread (cheap, non-blocking work only: health,
/// metrics), on the CPU worker pool (anything that decodes, renders or touches the disk), or
/// Async: started on the I/O thread, it answers later through its callback (so it can wait for
/// shared work, such as a render other requests also need, without holding a thread).
enum class Execution { Inline, Worker, Async };

using Handler = std::function<Expected<Reply>(const Request&)>;

/// A Handler calling `handler(context, request)`, with the context copied into it.
template <class Context>
Handler bind_handler(const Context& context,
                     Expected<Reply> (*handler)(const Context&, const Request&)) {
    return [context, handler](const Request& request) { return handler(context, request); };
}

/// Checks a request's Authorization header before its body is read (the session calls it as
/// soon as the header is in, before 100 Continue or any body byte): the caller's party, or the
/// 401/403 the request is refused with.
using KeyCheck = std::function<Expected<app::Party>(std::string_view authorization)>;

/// Any party with a configured key.
KeyCheck any_party(const app::Authenticator& auth);

/// Admins only (403 for other parties).
KeyCheck admins_only(const app::Authenticator& auth);

/// Called exactly once, from any thread, with the answer of an Async handler.
using Respond = std::function<void(Expected<Reply>)>;
using AsyncHandler = std::function<void(const Request&, Respond)>;

/// One row of the routing table.
struct Route {
    /// Methods served. A route with Get also answers Head (the body is dropped).
    std::vector<Method> methods;
    /// "/i/{id}/{preset}": literal segments, {name} for exactly one non-empty segment, and a
    /// last {name...} for one or more segments (their values joined with '/').
    std::string pattern;
    /// Label in metrics and logs ("image", "healthz"); stable, low-cardinality.
    std::string name;
    Handler handler;
    Execution execution = Execution::Inline;
    /// Largest request body; nullopt: limits.body_bytes.
    std::optional<std::uint64_t> body_limit = std::nullopt;
    /// The handler of an Execution::Async route (`handler` is unused there).
    AsyncHandler async_handler = {};
    /// For routes that need an API key; the handler then finds the party in Request::party.
    /// Empty: a public route.
    KeyCheck key_check = {};
    /// Answered on the few connections a full server still takes (health probes), so that a
    /// server at its connection cap reads as full rather than dead.
    bool answers_at_cap = false;
};

struct RouteMatch {
    const Route* route = nullptr;
    RouteParams params;
};

/// No route: `allowed` is empty for an unknown path (404) and lists the methods the path
/// does answer otherwise (405 with Allow).
struct RouteMiss {
    std::vector<Method> allowed;
};

/// The table from (method, path) to handler. Pure and immutable after construction: no
/// sockets, no Beast, safe to share between threads.
class Router {
public:
    explicit Router(std::vector<Route> routes);

    /// Matches decoded path segments ("/i/abc/main" → {"i","abc","main"}).
    std::variant<RouteMatch, RouteMiss> match(Method method,
                                              const std::vector<std::string>& segments) const;

    const std::vector<Route>& routes() const {
        return routes_;
    }

private:
    struct Compiled {
        std::vector<std::string> parts;  // literal text, or the param name
        std::vector<bool> is_param;
        bool ends_with_rest = false;  // the last part is {name...}
    };

    static Compiled compile(std::string_view pattern);
    static bool matches(const Compiled& compiled,
                        const std::vector<std::string>& segments,
                        RouteParams* params);

    std::vector<Route> routes_;
    std::vector<Compiled> compiled_;
};

/// Splits a plain path ("/a/b") into segments without decoding (for tests and literals).
std::vector<std::string> split_path(std::string_view path);

/// "GET, HEAD" for an Allow header.
std::string allow_header(const std::vector<Method>& methods);

/// The routing table in use, replaced whole when the configuration is reloaded: a request
/// keeps the table it was matched in (and what its routes refer to) until it is answered.
class RouterSlot {
public:
    explicit RouterSlot(std::shared_ptr<const Router> router) : router_(std::move(router)) {}

    std::shared_ptr<const Router> get() const {
        std::lock_guard lock(mutex_);
        return router_;
    }

    void set(std::shared_ptr<const Router> router) {
        std::lock_guard lock(mutex_);
        router_ = std::move(router);
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const Router> router_;
};

}  // namespace imgline::server
