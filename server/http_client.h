#pragma once

#include "common/expected.h"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace imgline::server {

/// An answer from the server.
struct HttpAnswer {
    int status = 0;
    std::string body;
};

/// A small blocking HTTP/1.1 client (the command line, edge health checks) (plain http:// only),
/// keeping one connection alive and reconnecting once when the server closed it. Every request has
/// a timeout. Not thread-safe: one per thread.
class HttpClient {
public:
    /// `base_url` like "http://127.0.0.1:8080". Fails with BadRequest on anything else.
    static Expected<HttpClient> create(std::string_view base_url,
                                       std::chrono::seconds timeout = std::chrono::seconds(120));
    ~HttpClient();
    HttpClient(HttpClient&&) noexcept;
    HttpClient& operator=(HttpClient&&) noexcept;

    /// Sends one request; StorageUnavailable-free: connection problems are Internal errors with
    /// the reason in `public_message`.
    Expected<HttpAnswer> send(std::string_view method,
                              std::string_view target,
                              std::string_view authorization,
                              std::string_view content_type,
                              std::string_view body);

private:
    struct State;
    explicit HttpClient(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

/// GET `url` (http:// only) on a new connection within `timeout` (at least a second): the
/// response status. What app/ reaches edges with (app::HttpGet).
Expected<int> http_get(const std::string& url, std::chrono::milliseconds timeout);

}  // namespace imgline::server
