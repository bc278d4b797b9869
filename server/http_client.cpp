#include "server/http_client.h"

#include "server/blocking_connection.h"

#include <optional>

#include <boost/url/parse.hpp>

namespace imgline::server {

struct HttpClient::State : BlockingConnection {
    std::string host;
    std::string port;
    std::chrono::seconds timeout;

    beast::error_code connect() {
        return BlockingConnection::connect(host, port, timeout);
    }
};

HttpClient::HttpClient(std::unique_ptr<State> state) : state_(std::move(state)) {}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

Expected<HttpClient> HttpClient::create(std::string_view base_url, std::chrono::seconds timeout) {
    auto url = boost::urls::parse_absolute_uri(base_url);
    if (!url || url->scheme() != "http" || url->host().empty()) {
        return fail(ErrorCode::BadRequest, "the server URL must look like http://HOST:PORT");
    }
    auto state = std::make_unique<State>();
    state->host = std::string(url->host_address());
    state->port = url->has_port() ? std::string(url->port()) : "80";
    state->timeout = timeout;
    return HttpClient(std::move(state));
}

Expected<HttpAnswer> HttpClient::send(std::string_view method,
                                      std::string_view target,
                                      std::string_view authorization,
                                      std::string_view content_type,
                                      std::string_view body) {
    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    request.set(http::field::host, state_->host);
    request.set(http::field::user_agent, "imgline-cli");
    if (!authorization.empty()) {
        request.set(http::field::authorization, authorization);
    }
    if (!content_type.empty()) {
        request.set(http::field::content_type, content_type);
    }
    request.body() = std::string(body);
    request.prepare_payload();
    request.keep_alive(true);

    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!state_->stream) {
            if (auto ec = state_->connect()) {
                return fail(ErrorCode::Internal, "cannot connect to the server: " + ec.message());
            }
        }
        state_->stream->expires_after(state_->timeout);
        auto ec = state_->run(
            [&](auto handler) { http::async_write(*state_->stream, request, handler); });
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        if (!ec) {
            ec = state_->run([&](auto handler) {
                http::async_read(*state_->stream, state_->buffer, parser, handler);
            });
        }
        if (ec) {
            state_->stream.reset();  // reconnect once: the server may have closed an idle one
            if (attempt == 1) {
                return fail(ErrorCode::Internal, "the request failed: " + ec.message());
            }
            continue;
        }
        auto response = parser.release();
        if (!response.keep_alive()) {
            state_->stream.reset();
        }
        return HttpAnswer{static_cast<int>(response.result_int()), std::move(response.body())};
    }
    return fail(ErrorCode::Internal, "the request failed");
}

Expected<int> http_get(const std::string& url, std::chrono::milliseconds timeout) {
    const auto parsed = boost::urls::parse_uri(url);
    if (!parsed || parsed->scheme() != "http") {
        return fail(ErrorCode::BadRequest, "only http:// addresses can be fetched: " + url);
    }
    std::string target(parsed->encoded_path());
    if (target.empty()) {
        target = "/";
    }
    if (parsed->has_query()) {
        target += "?" + std::string(parsed->encoded_query());
    }
    auto client =
        HttpClient::create("http://" + std::string(parsed->encoded_host_and_port()),
                           std::max(std::chrono::seconds(1),
                                    std::chrono::duration_cast<std::chrono::seconds>(timeout)));
    if (!client) {
        return tl::unexpected(client.error());
    }
    const auto answer = client->send("GET", target, "", "", "");
    if (!answer) {
        return tl::unexpected(answer.error());
    }
    return answer->status;
}

}  // namespace imgline::server
