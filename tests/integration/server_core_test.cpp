// The HTTP core against real sockets: the production server on 127.0.0.1, an ephemeral port,
// raw HTTP from tests/support/http_client.
#include "server/request.h"
#include "tests/support/http_client.h"
#include "tests/support/test_server.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace imgline;
using namespace std::chrono_literals;
using test::RawClient;
using test::TestServer;

namespace {

// Holds worker jobs until the test opens it, and counts the jobs that got in.
class Gate {
public:
    void pass() {
        std::unique_lock lock(mutex_);
        ++entered_;
        changed_.notify_all();
        changed_.wait(lock, [this] { return open_; });
    }

    void open() {
        std::lock_guard lock(mutex_);
        open_ = true;
        changed_.notify_all();
    }

    bool wait_entered(int count, std::chrono::milliseconds timeout = 5s) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return entered_ >= count; });
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    int entered_ = 0;
    bool open_ = false;
};

server::Route blocking_route(Gate& gate) {
    return server::Route{{server::Method::Get},
                         "/test/block",
                         "test_block",
                         [&gate](const server::Request&) -> Expected<server::Reply> {
                             gate.pass();
                             return server::Reply::json(200, {{"done", true}});
                         },
                         server::Execution::Worker,
                         std::nullopt};
}

server::Route echo_route(std::uint64_t body_limit) {
    return server::Route{{server::Method::Post},
                         "/test/echo/{name}",
                         "test_echo",
                         [](const server::Request& request) -> Expected<server::Reply> {
                             return server::Reply::json(200, {{"name", request.params.get("name")},
                                                              {"bytes", request.body().size()}});
                         },
                         server::Execution::Worker,
                         body_limit};
}

boost::json::object error_of(const test::Response& response) {
    return boost::json::parse(response.body()).as_object().at("error").as_object();
}

void require_json_error(const test::Response& response, int status, std::string_view code) {
    REQUIRE(response.result_int() == static_cast<unsigned>(status));
    REQUIRE(response[server::http::field::content_type] == "application/json");
    REQUIRE(response["X-Content-Type-Options"] == "nosniff");
    const auto error = error_of(response);
    REQUIRE(error.at("code").as_string() == code);
    REQUIRE_FALSE(error.at("message").as_string().empty());
    REQUIRE(error.at("request_id").as_string() == response["X-Request-Id"]);
}

std::string get_line(std::string_view target, std::string_view extra = {}) {
    return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra) + "\r\n";
}

}  // namespace

TEST_CASE("health, readiness and metrics answer on a fresh server", "[integration][ops]") {
    TestServer server;
    const auto health = test::request(server.port(), "GET", "/healthz");
    REQUIRE(health.result_int() == 200);
    REQUIRE(boost::json::parse(health.body()).at("status") == "ok");
    REQUIRE_FALSE(health["X-Request-Id"].empty());
    REQUIRE(health["X-Content-Type-Options"] == "nosniff");

    const auto ready = test::request(server.port(), "GET", "/readyz");
    REQUIRE(ready.result_int() == 200);
    const auto checks = boost::json::parse(ready.body()).at("checks");
    REQUIRE(checks.at("storage") == "ok");
    REQUIRE(checks.at("accepting") == true);
    const auto written = boost::json::parse(ready.body()).at("formats").at("write").as_array();
    REQUIRE(std::find(written.begin(), written.end(), boost::json::value("webp")) != written.end());

    const auto metrics = test::request(server.port(), "GET", "/metrics");
    REQUIRE(metrics.result_int() == 200);
    REQUIRE(metrics[server::http::field::content_type].starts_with("text/plain; version=0.0.4"));
    const std::string text = metrics.body();
    CHECK(text.find("imgline_http_requests_total{route=\"healthz\",status=\"200\"} 1") !=
          std::string::npos);
    for (const char* series :
         {"imgline_http_request_duration_seconds_bucket", "imgline_http_requests_in_flight",
          "imgline_worker_queue_depth", "imgline_worker_busy", "imgline_http_open_connections"}) {
        CHECK(text.find(series) != std::string::npos);
    }
}

TEST_CASE("readyz turns 503 when the data directory stops being writable", "[integration][ops]") {
    TestServer server;
    std::filesystem::remove_all(server.config().storage.data_dir);
    const auto ready = test::request(server.port(), "GET", "/readyz");
    REQUIRE(ready.result_int() == 503);
    REQUIRE(boost::json::parse(ready.body()).at("status") == "not_ready");
}

TEST_CASE("HEAD answers the headers of GET without a body", "[integration][http]") {
    TestServer server;
    const auto head = test::request(server.port(), "HEAD", "/healthz");
    REQUIRE(head.result_int() == 200);
    REQUIRE(head[server::http::field::content_length] == "15");
    REQUIRE(head.body().empty());
}

TEST_CASE("unknown paths get a 404 JSON error and wrong methods a 405 with Allow",
          "[integration][http]") {
    TestServer server;
    const auto missing = test::request(server.port(), "GET", "/no/such/thing");
    require_json_error(missing, 404, "not_found");
    REQUIRE(missing[server::http::field::cache_control] == "no-store");

    const auto wrong = test::request(server.port(), "DELETE", "/healthz");
    require_json_error(wrong, 405, "method_not_allowed");
    REQUIRE(wrong[server::http::field::allow] == "GET, HEAD");
}

TEST_CASE("a sane X-Request-Id is kept and a hostile one replaced", "[integration][http]") {
    TestServer server;
    const auto kept =
        test::request(server.port(), "GET", "/healthz", "X-Request-Id: edge-42.a_b\r\n");
    REQUIRE(kept["X-Request-Id"] == "edge-42.a_b");
    const auto replaced =
        test::request(server.port(), "GET", "/healthz", "X-Request-Id: <script>\r\n");
    REQUIRE(replaced["X-Request-Id"] != "<script>");
    REQUIRE(replaced["X-Request-Id"].size() == 32);
}

TEST_CASE("a header over 8 KiB gets 431 and the connection is closed", "[integration][limits]") {
    TestServer server;
    RawClient client(server.port());
    client.send(get_line("/healthz", "X-Padding: " + std::string(9 * 1024, 'a') + "\r\n"));
    auto response = client.read_response();
    REQUIRE(response);
    require_json_error(*response, 431, "header_too_large");
    REQUIRE(client.wait_closed(3s));
    // The server is unharmed.
    REQUIRE(test::request(server.port(), "GET", "/healthz").result_int() == 200);
}

TEST_CASE("a body over the route's limit gets 413 before the body is sent",
          "[integration][limits]") {
    TestServer server({}, {echo_route(1024)});
    SECTION("declared by Content-Length on a route with a small limit") {
        RawClient client(server.port());
        // Only the header is sent: the answer must not wait for 50 MB that never come.
        client.send("POST /test/echo/a HTTP/1.1\r\nHost: t\r\nContent-Length: 50000000\r\n\r\n");
        auto response = client.read_response(3s);
        REQUIRE(response);
        require_json_error(*response, 413, "payload_too_large");
        REQUIRE((*response)[server::http::field::connection] == "close");
    }
    SECTION("declared by Content-Length on a route without uploads (limits.body_bytes)") {
        RawClient client(server.port());
        client.send("GET /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n");
        auto response = client.read_response(3s);
        REQUIRE(response);
        require_json_error(*response, 413, "payload_too_large");
    }
    SECTION("discovered while reading a chunked body") {
        RawClient client(server.port());
        const std::string chunk(2000, 'x');
        client.send(
            "POST /test/echo/a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
            "7d0\r\n" +
            chunk + "\r\n0\r\n\r\n");
        auto response = client.read_response(3s);
        REQUIRE(response);
        require_json_error(*response, 413, "payload_too_large");
    }
    SECTION("a body within the limit reaches the handler") {
        const auto response =
            test::request(server.port(), "POST", "/test/echo/a%20b", {}, std::string(1000, 'x'));
        REQUIRE(response.result_int() == 200);
        const auto body = boost::json::parse(response.body());
        REQUIRE(body.at("bytes") == 1000);
        REQUIRE(body.at("name") == "a b");  // params arrive percent-decoded
    }
}

TEST_CASE("Expect: 100-continue is answered before the body is read", "[integration][http]") {
    TestServer server({}, {echo_route(4096)});
    RawClient client(server.port());
    client.send(
        "POST /test/echo/x HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
        "Expect: 100-continue\r\n\r\n");
    auto interim = client.read_response(3s);
    REQUIRE(interim);
    REQUIRE(interim->result_int() == 100);
    client.send("hello");
    auto response = client.read_response(3s);
    REQUIRE(response);
    REQUIRE(response->result_int() == 200);
    REQUIRE(boost::json::parse(response->body()).at("bytes") == 5);
}

TEST_CASE("malformed requests get a 400 JSON error, never a crash", "[integration][http]") {
    TestServer server;
    for (const char* garbage :
         {"NOT HTTP AT ALL\r\n\r\n", "GET /healthz HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
          "GET http://elsewhere.example/healthz HTTP/1.1\r\nHost: t\r\n\r\n",
          "GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n"}) {
        CAPTURE(garbage);
        RawClient client(server.port());
        client.send(garbage);
        auto response = client.read_response(3s);
        REQUIRE(response);
        require_json_error(*response, 400, "bad_request");
    }
    REQUIRE(test::request(server.port(), "GET", "/healthz").result_int() == 200);
}

TEST_CASE("a Transfer-Encoding that does not end in chunked is refused, never read as a request",
          "[integration][http][security]") {
    TestServer server({}, {echo_route(4096)});
    for (const char* coding : {"gzip", "chunked, identity", "identity"}) {
        CAPTURE(coding);
        RawClient client(server.port());
        // The "body" is a whole second request: it must not be served.
        client.send("POST /test/echo/x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: " +
                    std::string(coding) + "\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
        auto response = client.read_response(3s);
        REQUIRE(response);
        require_json_error(*response, 400, "bad_request");
        CHECK_FALSE(client.read_response(1s));  // the smuggled request got no answer
    }
    RawClient chunked(server.port());
    chunked.send(
        "POST /test/echo/x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked"
        "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    auto accepted = chunked.read_response(3s);
    REQUIRE(accepted);
    CHECK(accepted->result_int() == 200);  // ends in chunked: framed by the chunks
}

TEST_CASE("a handler that throws becomes a 500 JSON error and the server lives on",
          "[integration][errors]") {
    server::Route thrower{{server::Method::Get},
                          "/test/throw",
                          "test_throw",
                          [](const server::Request&) -> Expected<server::Reply> {
                              throw std::runtime_error("boom with a secret path /etc/x");
                          },
                          server::Execution::Worker,
                          std::nullopt};
    TestServer server({}, {thrower});
    const auto response = test::request(server.port(), "GET", "/test/throw");
    require_json_error(response, 500, "internal");
    REQUIRE(response.body().find("/etc/x") == std::string::npos);  // detail stays in the log
    REQUIRE(test::request(server.port(), "GET", "/healthz").result_int() == 200);
}

TEST_CASE("keep-alive serves several requests on one connection, pipelined ones in order",
          "[integration][http]") {
    TestServer server;
    RawClient client(server.port());
    for (int i = 0; i < 3; ++i) {
        client.send(get_line("/healthz"));
        auto response = client.read_response();
        REQUIRE(response);
        REQUIRE(response->result_int() == 200);
        REQUIRE(response->keep_alive());
    }
    client.send(get_line("/healthz") + get_line("/nope") + get_line("/readyz"));
    auto first = client.read_response();
    auto second = client.read_response();
    auto third = client.read_response();
    REQUIRE(first);
    REQUIRE(second);
    REQUIRE(third);
    REQUIRE(first->result_int() == 200);
    REQUIRE(second->result_int() == 404);
    REQUIRE(third->result_int() == 200);
    REQUIRE(boost::json::parse(third->body()).at("status") == "ready");
}

TEST_CASE("Connection: close is honoured", "[integration][http]") {
    TestServer server;
    RawClient client(server.port());
    client.send(get_line("/healthz", "Connection: close\r\n"));
    auto response = client.read_response();
    REQUIRE(response);
    REQUIRE_FALSE(response->keep_alive());
    REQUIRE(client.wait_closed(3s));
}

TEST_CASE("a slow-header client is cut off after header_timeout while others are served",
          "[integration][limits]") {
    TestServer server([](config::Config& config) { config.server.header_timeout = 500ms; });
    RawClient slow(server.port());
    slow.send("GET /healthz HTTP/1.1\r\n");
    bool closed = false;
    // Dribble one header byte every 100 ms for up to 10 s; the server must hang up long
    // before the header could ever complete.
    for (int i = 0; i < 100 && !closed; ++i) {
        if (i == 2) {
            REQUIRE(test::request(server.port(), "GET", "/healthz").result_int() == 200);
        }
        closed = !slow.send("X") || slow.wait_closed(100ms);
    }
    REQUIRE(closed);
    REQUIRE(test::request(server.port(), "GET", "/healthz").result_int() == 200);
}

TEST_CASE("an idle keep-alive connection is closed after idle_timeout", "[integration][limits]") {
    TestServer server([](config::Config& config) { config.server.idle_timeout = 300ms; });
    RawClient client(server.port());
    client.send(get_line("/healthz"));
    REQUIRE(client.read_response());
    REQUIRE(client.wait_closed(5s));
}

TEST_CASE("a full worker queue answers 503 with Retry-After", "[integration][limits]") {
    Gate gate;
    TestServer server(
        [](config::Config& config) {
            config.server.worker_threads = 1;
            config.server.queue_capacity = 1;
            config.server.retry_after_seconds = 7;
        },
        {blocking_route(gate)});
    RawClient running(server.port());
    running.send(get_line("/test/block"));
    REQUIRE(gate.wait_entered(1));
    RawClient queued(server.port());
    queued.send(get_line("/test/block"));
    for (int i = 0; i < 500 && server.server().workers().queued() < 1; ++i) {
        std::this_thread::sleep_for(10ms);
    }
    REQUIRE(server.server().workers().queued() == 1);

    const auto refused = test::request(server.port(), "GET", "/test/block");
    require_json_error(refused, 503, "overloaded");
    REQUIRE(refused[server::http::field::retry_after] == "7");
    // Inline routes still answer while the workers are busy.
    REQUIRE(test::request(server.port(), "GET", "/healthz").result_int() == 200);

    gate.open();
    auto first = running.read_response();
    auto second = queued.read_response();
    REQUIRE(first);
    REQUIRE(second);
    REQUIRE(first->result_int() == 200);
    REQUIRE(second->result_int() == 200);
}

TEST_CASE("at the connection cap, the connection idle the longest makes room",
          "[integration][limits]") {
    TestServer server([](config::Config& config) { config.server.max_connections = 2; });
    RawClient one(server.port());
    RawClient two(server.port());
    // Both registered and idle between requests, one the longer.
    one.send(get_line("/healthz"));
    REQUIRE(one.read_response());
    two.send(get_line("/healthz"));
    REQUIRE(two.read_response());
    RawClient three(server.port());
    three.send(get_line("/healthz"));
    auto response = three.read_response(3s);
    REQUIRE(response);
    CHECK(response->result_int() == 200);
    CHECK(one.wait_closed(3s));  // shed
    two.send(get_line("/healthz"));
    auto still = two.read_response(3s);
    REQUIRE(still);
    CHECK(still->result_int() == 200);
}

TEST_CASE("at the connection cap with every connection busy, only health checks are answered",
          "[integration][limits]") {
    TestServer server([](config::Config& config) { config.server.max_connections = 2; });
    // Two connections in the middle of a request header: busy, not idle.
    RawClient one(server.port());
    RawClient two(server.port());
    one.send("GET /healthz HTTP/1.1\r\nHost: t\r\n");
    two.send("GET /healthz HTTP/1.1\r\nHost: t\r\n");
    std::this_thread::sleep_for(100ms);
    RawClient probe(server.port());
    probe.send(get_line("/healthz"));
    auto healthy = probe.read_response(3s);
    REQUIRE(healthy);
    CHECK(healthy->result_int() == 200);
    CHECK(probe.wait_closed(3s));
    RawClient other(server.port());
    other.send(get_line("/metrics"));
    auto refused = other.read_response(3s);
    REQUIRE(refused);
    require_json_error(*refused, 503, "overloaded");
    CHECK(other.wait_closed(3s));
}

TEST_CASE("one address may hold max_connections_per_address connections, trusted proxies more",
          "[integration][limits]") {
    for (const bool trusted : {false, true}) {
        CAPTURE(trusted);
        TestServer server([&](config::Config& config) {
            config.server.max_connections_per_address = 3;
            if (trusted) {
                config.carriers.trusted_proxies = {"127.0.0.1"};
            }
        });
        std::vector<std::unique_ptr<RawClient>> held;
        for (int i = 0; i < 3; ++i) {
            held.push_back(std::make_unique<RawClient>(server.port()));
            held.back()->send(get_line("/healthz"));
            REQUIRE(held.back()->read_response());
        }
        RawClient fourth(server.port());
        fourth.send(get_line("/healthz"));
        auto response = fourth.read_response(3s);
        REQUIRE(response);
        if (trusted) {
            CHECK(response->result_int() == 200);
        } else {
            require_json_error(*response, 503, "overloaded");
            CHECK(fourth.wait_closed(3s));
        }
    }
}

TEST_CASE("graceful shutdown finishes an in-flight request and stops accepting",
          "[integration][shutdown]") {
    Gate gate;
    TestServer server({}, {blocking_route(gate)});
    const auto port = server.port();
    RawClient in_flight(port);
    in_flight.send(get_line("/test/block"));
    REQUIRE(gate.wait_entered(1));
    RawClient idle(port);
    idle.send(get_line("/healthz"));
    REQUIRE(idle.read_response());

    server.server().request_shutdown();
    REQUIRE(idle.wait_closed(3s));  // idle keep-alive connections are closed at once
    for (int i = 0; i < 100 && !test::connection_refused(port); ++i) {
        std::this_thread::sleep_for(20ms);
    }
    REQUIRE(test::connection_refused(port));

    gate.open();
    auto response = in_flight.read_response();
    REQUIRE(response);
    REQUIRE(response->result_int() == 200);
    REQUIRE_FALSE(response->keep_alive());
    REQUIRE(server.shutdown(5s));
}
