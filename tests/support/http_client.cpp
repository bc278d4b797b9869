#include "tests/support/http_client.h"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace imgline::test {

namespace http = server::http;

RawClient::RawClient(unsigned short port) : RawClient("127.0.0.1", port) {}

RawClient::RawClient(const std::string& host, unsigned short port, int receive_buffer) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ >= 0 && receive_buffer > 0) {
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof(receive_buffer));
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        throw std::runtime_error("cannot connect to " + host + ":" + std::to_string(port));
    }
}

RawClient::~RawClient() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

bool RawClient::send(std::string_view bytes) {
    while (!bytes.empty()) {
        const auto sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent <= 0) {
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
}

long RawClient::receive(std::chrono::milliseconds timeout) {
    pollfd ready{fd_, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(timeout.count())) <= 0) {
        return -1;
    }
    char chunk[16384];
    const auto got = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (got > 0) {
        pending_.append(chunk, static_cast<std::size_t>(got));
        return got;
    }
    return got == 0 || errno == ECONNRESET ? 0 : -1;
}

std::optional<Response> RawClient::read_response(std::chrono::milliseconds timeout, bool head) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    parser.skip(head);
    parser.body_limit(64 * 1024 * 1024);
    while (true) {
        if (!pending_.empty()) {
            server::beast::error_code ec;
            const auto used = parser.put(server::net::buffer(pending_), ec);
            pending_.erase(0, used);
            if (ec && ec != http::error::need_more) {
                return std::nullopt;
            }
            if (parser.is_done()) {
                return parser.release();
            }
            if (used > 0 && !pending_.empty()) {
                continue;
            }
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (left <= 0ms) {
            return std::nullopt;
        }
        const long got = receive(left);
        if (got == 0) {
            if (!parser.got_some()) {
                return std::nullopt;  // closed before any byte of a response
            }
            server::beast::error_code ec;
            parser.put_eof(ec);
            if (!ec && parser.is_done()) {
                return parser.release();
            }
            return std::nullopt;
        }
        if (got < 0) {
            return std::nullopt;
        }
    }
}

bool RawClient::wait_closed(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (left <= 0ms) {
            return false;
        }
        const long got = receive(left);
        if (got == 0) {
            return true;
        }
        if (got < 0) {
            return false;
        }
        pending_.clear();
    }
}

Response request(unsigned short port,
                 std::string_view method,
                 std::string_view target,
                 std::string_view extra_headers,
                 std::string_view body) {
    return request_to("127.0.0.1", port, method, target, extra_headers, body);
}

Response request_to(const std::string& host,
                    unsigned short port,
                    std::string_view method,
                    std::string_view target,
                    std::string_view extra_headers,
                    std::string_view body) {
    RawClient client(host, port);
    std::string text = std::string(method) + " " + std::string(target) +
                       " HTTP/1.1\r\nHost: " + host + "\r\n" + std::string(extra_headers);
    if (!body.empty() || method == "POST" || method == "PUT") {
        text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    text += "\r\n";
    text += body;
    client.send(text);
    auto response = client.read_response(10s, method == "HEAD");
    if (!response) {
        throw std::runtime_error("no response to " + std::string(method) + " " +
                                 std::string(target));
    }
    return std::move(*response);
}

bool connection_refused(unsigned short port) {
    try {
        RawClient client(port);
        client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        return !client.read_response(2s).has_value();
    } catch (const std::runtime_error&) {
        return true;
    }
}

double metric_sum(unsigned short port, std::string_view name, std::string_view filter) {
    const auto text = request(port, "GET", "/metrics").body();
    std::istringstream lines(text);
    double total = 0;
    const std::string series(name);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with(series + "{") || line.starts_with(series + " ")) {
            if (filter.empty() || line.find(filter) != std::string::npos) {
                total += std::stod(line.substr(line.rfind(' ') + 1));
            }
        }
    }
    return total;
}

}  // namespace imgline::test
