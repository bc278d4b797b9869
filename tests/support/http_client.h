#pragma once

#include "server/http_types.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace imgline::test {

using namespace std::chrono_literals;
using Response = server::http::response<server::http::string_body>;

/// A raw HTTP/1.1 client on a plain POSIX socket, so tests control every byte and never hang:
/// each read waits at most the given time. Responses are parsed with Beast's parser.
class RawClient {
public:
    /// Connects to 127.0.0.1:port; throws std::runtime_error if it cannot.
    explicit RawClient(unsigned short port);
    /// Connects to an IPv4 `host` (another loopback address, e.g. an edge on 127.0.0.2).
    /// A `receive_buffer` above 0 shrinks the socket's receive buffer to about that many bytes
    /// (a slow reader: the server's writes then wait for room).
    RawClient(const std::string& host, unsigned short port, int receive_buffer = 0);
    ~RawClient();

    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    /// Sends the bytes as they are; false if the peer has closed.
    bool send(std::string_view bytes);

    /// Reads one response (several may be pipelined). nullopt on timeout or close before a
    /// complete response. `head` for responses to HEAD (no body follows).
    std::optional<Response> read_response(std::chrono::milliseconds timeout = 5s,
                                          bool head = false);

    /// True when the server closes the connection within `timeout` (EOF or reset); bytes that
    /// arrive meanwhile are dropped.
    bool wait_closed(std::chrono::milliseconds timeout);

private:
    // Waits for readable data; returns bytes read, 0 on close, -1 on timeout/error.
    long receive(std::chrono::milliseconds timeout);

    int fd_ = -1;
    std::string pending_;
};

/// One request on a fresh connection: "GET /healthz" → the response (throws on timeout).
Response request(unsigned short port,
                 std::string_view method,
                 std::string_view target,
                 std::string_view extra_headers = {},
                 std::string_view body = {});

/// The same on a fresh connection to an IPv4 `host`.
Response request_to(const std::string& host,
                    unsigned short port,
                    std::string_view method,
                    std::string_view target,
                    std::string_view extra_headers = {},
                    std::string_view body = {});

/// The sum of a series in the server's /metrics (a counter family or a gauge), optionally only
/// of the lines that contain `filter` (a label, e.g. `route="image"`).
double metric_sum(unsigned short port, std::string_view name, std::string_view filter = {});

/// True when a TCP connection to 127.0.0.1:port is refused or closed at once.
bool connection_refused(unsigned short port);

}  // namespace imgline::test
