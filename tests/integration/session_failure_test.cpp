// The session's failure matrix over real sockets: the client goes away at each step of a request
// (reading the header, reading the body, the 100 Continue, writing the answer from memory and
// from a file with sendfile) and the server must end that connection cleanly, forget the
// request, and keep answering everyone else.
#include "server/request.h"
#include "storage/sealed_bytes.h"
#include "tests/support/http_client.h"
#include "tests/support/test_server.h"

#include <thread>

#include <catch2/catch.hpp>

using namespace imgline;
using namespace std::chrono_literals;
using test::RawClient;
using test::TestServer;

namespace {

constexpr std::size_t kLargeBody = 32 * 1024 * 1024;  // more than any socket buffer holds

server::Route large_reply_route() {
    return server::Route{{server::Method::Get},
                         "/test/large",
                         "test_large",
                         [](const server::Request&) -> Expected<server::Reply> {
                             return server::Reply::bytes(200, "application/octet-stream",
                                                         std::string(kLargeBody, 'x'));
                         },
                         server::Execution::Worker,
                         std::nullopt};
}

// The same size from a sealed memory file, as cached renditions go out (sendfile).
server::Route large_file_route() {
    auto sealed = storage::SealedBytes::seal(std::string(kLargeBody, 'y'));
    return server::Route{{server::Method::Get},
                         "/test/large-file",
                         "test_large_file",
                         [sealed](const server::Request&) -> Expected<server::Reply> {
                             return server::Reply::file(200, "application/octet-stream",
                                                        {sealed, 0, sealed->size()});
                         },
                         server::Execution::Worker,
                         std::nullopt};
}

server::Route echo_route() {
    return server::Route{{server::Method::Post},
                         "/test/echo",
                         "test_echo",
                         [](const server::Request& request) -> Expected<server::Reply> {
                             return server::Reply::json(200, {{"bytes", request.body().size()}});
                         },
                         server::Execution::Worker,
                         std::uint64_t{1} << 20};
}

// Waits (bounded) until the server holds no request and no connection but the probe's own.
bool settles(const TestServer& server) {
    for (int i = 0; i < 200; ++i) {
        const double in_flight = test::metric_sum(server.port(), "imgline_http_requests_in_flight");
        const double open = test::metric_sum(server.port(), "imgline_http_open_connections");
        // The probe's /metrics request is itself in flight on one open connection.
        if (in_flight <= 1 && open <= 1) {
            return true;
        }
        std::this_thread::sleep_for(25ms);
    }
    return false;
}

}  // namespace

TEST_CASE("a client that goes away at any step leaves the server whole",
          "[integration][http][failure]") {
    TestServer server({}, {large_reply_route(), large_file_route(), echo_route()});

    struct Step {
        const char* what;
        std::string sent;
        bool read_a_little = false;  // read part of the answer before going away
    };

    const Step steps[] = {
        {"in the middle of the request line", "GET /hea"},
        {"in the middle of the header", "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Long: abc"},
        {"after the header, before the body",
         "POST /test/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n"},
        {"in the middle of the body",
         "POST /test/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" +
             std::string(400, 'b')},
        {"in the middle of a chunked body",
         "POST /test/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc"},
        {"before reading its 100 Continue",
         "POST /test/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\nExpect: "
         "100-continue\r\n\r\n"},
        {"before reading a large answer", "GET /test/large HTTP/1.1\r\nHost: t\r\n\r\n"},
        {"in the middle of a large answer", "GET /test/large HTTP/1.1\r\nHost: t\r\n\r\n", true},
        {"before reading a file answer", "GET /test/large-file HTTP/1.1\r\nHost: t\r\n\r\n"},
        {"in the middle of a file answer (sendfile)",
         "GET /test/large-file HTTP/1.1\r\nHost: t\r\n\r\n", true},
        {"with pipelined requests unread",
         "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /test/large HTTP/1.1\r\nHost: "
         "t\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"},
    };
    for (const Step& step : steps) {
        CAPTURE(step.what);
        {
            RawClient client("127.0.0.1", server.port(), step.read_a_little ? 4096 : 0);
            REQUIRE(client.send(step.sent));
            if (step.read_a_little) {
                // The status line and headers arrive; the body waits for room.
                std::this_thread::sleep_for(50ms);
            }
        }  // closed here, with the server at that step
        CHECK(settles(server));
        CHECK(test::request(server.port(), "GET", "/healthz").result_int() == 200);
    }
    // The answers from memory and from a sealed file both still go out whole afterwards.
    for (const char* target : {"/test/large", "/test/large-file"}) {
        CAPTURE(target);
        const auto large = test::request(server.port(), "GET", target);
        CHECK(large.result_int() == 200);
        CHECK(large.body().size() == kLargeBody);
    }
}
