#include "server/router.h"

#include "server/reply.h"

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::server;

namespace {

Route route(std::vector<Method> methods, std::string pattern, std::string name) {
    return Route{
        std::move(methods), std::move(pattern),
        std::move(name),    [](const Request&) -> Expected<Reply> { return Reply::json(200, {}); },
        Execution::Inline,  std::nullopt};
}

Router table() {
    return Router({route({Method::Get}, "/healthz", "healthz"),
                   route({Method::Get}, "/i/{id}/{preset}", "image"),
                   route({Method::Post}, "/v1/originals", "upload"),
                   route({Method::Get}, "/v1/originals", "list"),
                   route({Method::Get, Method::Delete}, "/v1/originals/{id}", "original")});
}

}  // namespace

TEST_CASE("the router matches methods and paths to routes", "[unit][router]") {
    const Router router = table();

    struct Case {
        Method method;
        const char* path;
        const char* route;  // nullptr: no match
    };

    const Case cases[] = {
        {Method::Get, "/healthz", "healthz"},
        {Method::Head, "/healthz", "healthz"},  // GET routes answer HEAD
        {Method::Get, "/i/abc/main", "image"},
        {Method::Post, "/v1/originals", "upload"},
        {Method::Get, "/v1/originals", "list"},
        {Method::Delete, "/v1/originals/abc", "original"},
        {Method::Get, "/healthz/", nullptr},
        {Method::Get, "/i/abc", nullptr},
        {Method::Get, "/i/abc/main/extra", nullptr},
        {Method::Get, "/i//main", nullptr},  // a parameter is never empty
        {Method::Get, "/", nullptr},
    };
    for (const auto& c : cases) {
        CAPTURE(method_name(c.method), c.path);
        const auto result = router.match(c.method, split_path(c.path));
        if (c.route == nullptr) {
            CHECK(std::holds_alternative<RouteMiss>(result));
        } else {
            REQUIRE(std::holds_alternative<RouteMatch>(result));
            CHECK(std::get<RouteMatch>(result).route->name == c.route);
        }
    }
}

TEST_CASE("the router extracts parameters by name", "[unit][router]") {
    const auto result = table().match(Method::Get, {"i", "f00d", "detail"});
    REQUIRE(std::holds_alternative<RouteMatch>(result));
    const auto& params = std::get<RouteMatch>(result).params;
    CHECK(params.size() == 2);
    CHECK(params.get("id") == "f00d");
    CHECK(params.get("preset") == "detail");
    CHECK(params.get("missing").empty());
}

TEST_CASE("a known path with the wrong method lists the allowed methods", "[unit][router]") {
    const Router router = table();
    const auto wrong = router.match(Method::Put, split_path("/v1/originals"));
    REQUIRE(std::holds_alternative<RouteMiss>(wrong));
    CHECK(allow_header(std::get<RouteMiss>(wrong).allowed) == "POST, GET, HEAD");
    const auto unknown = router.match(Method::Get, split_path("/nowhere"));
    REQUIRE(std::holds_alternative<RouteMiss>(unknown));
    CHECK(std::get<RouteMiss>(unknown).allowed.empty());
}

TEST_CASE("methods parse from their exact names", "[unit][router]") {
    CHECK(parse_method("GET") == Method::Get);
    CHECK(parse_method("DELETE") == Method::Delete);
    CHECK(parse_method("get") == Method::Other);
    CHECK(parse_method("BREW") == Method::Other);
    CHECK(split_path("/a/b") == std::vector<std::string>{"a", "b"});
    CHECK(split_path("/").empty());
    CHECK(split_path("/a/") == std::vector<std::string>{"a", ""});
}

TEST_CASE("error replies carry JSON, no-store, and Retry-After only when retrying helps",
          "[unit][reply]") {
    const auto overloaded = Reply::from_error(make_error(ErrorCode::Overloaded, "busy"), "r1", 3);
    CHECK(overloaded.status == 503);
    CHECK(overloaded.content_type == "application/json");
    CHECK(overloaded.header("cache-control") == "no-store");
    CHECK(overloaded.header("Retry-After") == "3");

    const auto missing = Reply::from_error(make_error(ErrorCode::NotFound, "no"), "r2", 3);
    CHECK(missing.status == 404);
    CHECK(missing.header("Retry-After").empty());
    CHECK(missing.body.find("\"request_id\":\"r2\"") != std::string::npos);
}

TEST_CASE("a trailing {name...} takes one or more segments", "[unit][router]") {
    const Router router({route({Method::Get}, "/t/{signature}/{rest...}", "transform")});
    const auto found = router.match(Method::Get, split_path("/t/k1.abc/w:10/h:20/id.webp"));
    REQUIRE(std::holds_alternative<RouteMatch>(found));
    const auto& params = std::get<RouteMatch>(found).params;
    CHECK(params.get("signature") == "k1.abc");
    CHECK(params.get("rest") == "w:10/h:20/id.webp");
    CHECK(std::holds_alternative<RouteMatch>(router.match(Method::Get, split_path("/t/s/x"))));
    CHECK(std::holds_alternative<RouteMiss>(router.match(Method::Get, split_path("/t/s"))));
    CHECK(std::holds_alternative<RouteMiss>(router.match(Method::Get, split_path("/t/s/a//b"))));
}
