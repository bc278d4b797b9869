#include "server/object_http_pool.h"

#include "server/blocking_connection.h"

namespace imgline::server {

using storage::s3::ObjectRequest;
using storage::s3::ObjectResponse;

namespace {

// The largest answer read from the store: an original (limits.upload_bytes) with room to spare.
constexpr std::uint64_t kLargestAnswer = 1ULL << 30;

}  // namespace

struct ObjectHttpPool::Connection : BlockingConnection {
    std::string address;
    std::string port;

    beast::error_code connect(std::chrono::milliseconds timeout) {
        auto ec = BlockingConnection::connect(address, port, timeout);
        if (!ec) {
            stream->socket().set_option(tcp::no_delay(true), ec);
        }
        return ec;
    }
};

ObjectHttpPool::ObjectHttpPool(std::size_t max_idle) : max_idle_(max_idle) {}

ObjectHttpPool::~ObjectHttpPool() = default;

std::size_t ObjectHttpPool::connections_opened() const {
    std::lock_guard lock(mutex_);
    return opened_;
}

std::unique_ptr<ObjectHttpPool::Connection> ObjectHttpPool::take(const std::string& address,
                                                                 const std::string& port) {
    std::lock_guard lock(mutex_);
    for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
        if ((*it)->address == address && (*it)->port == port) {
            auto connection = std::move(*it);
            idle_.erase(std::next(it).base());
            return connection;
        }
    }
    return nullptr;
}

void ObjectHttpPool::give_back(std::unique_ptr<Connection> connection) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < max_idle_) {
        idle_.push_back(std::move(connection));
    }
}

Expected<ObjectResponse> ObjectHttpPool::send(const ObjectRequest& request) {
    http::request<http::span_body<const char>> message{http::string_to_verb(request.method),
                                                       request.target, 11};
    message.set(http::field::host, request.host);
    message.set(http::field::user_agent, "imgline");
    for (const auto& [name, value] : request.headers) {
        message.set(name, value);
    }
    message.body() = {request.body.data(), request.body.size()};
    message.prepare_payload();
    message.keep_alive(true);

    for (int attempt = 0; attempt < 2; ++attempt) {
        auto connection = take(request.address, request.port);
        const bool reused = connection != nullptr;
        if (!connection) {
            connection = std::make_unique<Connection>();
            connection->address = request.address;
            connection->port = request.port;
            if (auto ec = connection->connect(request.timeout)) {
                return fail(ErrorCode::StorageUnavailable, "the object store cannot be reached",
                            request.address + ":" + request.port + ": " + ec.message());
            }
            std::lock_guard lock(mutex_);
            ++opened_;
        }
        auto& stream = *connection->stream;
        stream.expires_after(request.timeout);
        auto ec =
            connection->run([&](auto handler) { http::async_write(stream, message, handler); });
        http::response_parser<http::string_body> parser;
        parser.body_limit(kLargestAnswer);
        if (request.method == "HEAD") {
            parser.skip(true);
        }
        std::size_t read = 0;
        if (!ec) {
            ec = connection->run([&](auto handler) {
                http::async_read(stream, connection->buffer, parser,
                                 [&read, handler](beast::error_code e, std::size_t n) mutable {
                                     read = n;
                                     handler(e);
                                 });
            });
        }
        if (ec) {
            // A reused connection the store closed while idle: once more on a fresh one. A
            // timeout is not retried here (the client's retry policy decides).
            if (reused && read == 0 && ec != beast::error::timeout) {
                continue;
            }
            return fail(ErrorCode::StorageUnavailable, "the object store did not answer",
                        request.method + " " + request.target + ": " + ec.message());
        }
        auto response = parser.release();
        ObjectResponse answer;
        answer.status = static_cast<int>(response.result_int());
        for (const auto& field : response) {
            answer.headers.emplace_back(std::string(field.name_string()),
                                        std::string(field.value()));
        }
        answer.body = std::move(response.body());
        if (response.keep_alive()) {
            give_back(std::move(connection));
        }
        return answer;
    }
    return fail(ErrorCode::StorageUnavailable, "the object store did not answer");
}

storage::s3::ObjectHttp ObjectHttpPool::as_function() {
    return [this](const ObjectRequest& request) { return send(request); };
}

storage::s3::ObjectHttp pooled_object_http(std::size_t max_idle) {
    auto pool = std::make_shared<ObjectHttpPool>(max_idle);
    return [pool](const ObjectRequest& request) { return pool->send(request); };
}

}  // namespace imgline::server
