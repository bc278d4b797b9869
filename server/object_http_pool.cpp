#include "server/object_http_pool.h"

#include "server/blocking_connection.h"

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>

namespace imgline::server {

namespace ssl = net::ssl;

using storage::s3::ObjectRequest;
using storage::s3::ObjectResponse;

namespace {

// The largest answer read from the store: an original (limits.upload_bytes) with room to spare.
constexpr std::uint64_t kLargestAnswer = 1ULL << 30;

}  // namespace

struct ObjectHttpPool::Connection : BlockingConnection {
    std::string address;
    std::string port;
    bool tls = false;
    // For https: the TCP stream moved into TLS after the handshake.
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;

    beast::error_code connect(std::chrono::milliseconds timeout, ssl::context* context) {
        auto ec = BlockingConnection::connect(address, port, timeout);
        if (!ec) {
            stream->socket().set_option(tcp::no_delay(true), ec);
        }
        if (ec || !tls) {
            return ec;
        }
        secure.emplace(std::move(*stream), *context);
        stream.reset();
        // SNI, and the certificate must name the host connected to.
        // SSL_set_tlsext_host_name, without the macro's C cast.
        if (SSL_ctrl(secure->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME,
                     TLSEXT_NAMETYPE_host_name, const_cast<char*>(address.c_str())) != 1) {
            return {static_cast<int>(::ERR_get_error()), net::error::get_ssl_category()};
        }
        secure->set_verify_callback(ssl::host_name_verification(address));
        beast::get_lowest_layer(*secure).expires_after(timeout);
        return run(
            [&](auto handler) { secure->async_handshake(ssl::stream_base::client, handler); });
    }

    beast::tcp_stream& transport() {
        return secure ? beast::get_lowest_layer(*secure) : *stream;
    }

    // One request written and its answer read, on whichever stream this connection has.
    template <class Message, class Parser>
    beast::error_code exchange(Message& message, Parser& parser, std::size_t& read) {
        auto with = [&](auto& on) {
            auto ec = run([&](auto handler) { http::async_write(on, message, handler); });
            if (!ec) {
                ec = run([&](auto handler) {
                    http::async_read(on, buffer, parser,
                                     [&read, handler](beast::error_code e, std::size_t n) mutable {
                                         read = n;
                                         handler(e);
                                     });
                });
            }
            return ec;
        };
        return secure ? with(*secure) : with(*stream);
    }
};

ObjectHttpPool::ObjectHttpPool(std::size_t max_idle, const std::string& ca_file)
    : max_idle_(max_idle), tls_(std::make_unique<ssl::context>(ssl::context::tls_client)) {
    tls_->set_verify_mode(ssl::verify_peer);
    tls_->set_default_verify_paths();
    if (!ca_file.empty()) {
        beast::error_code ec;
        tls_->load_verify_file(ca_file, ec);
        if (ec) {
            ca_problem_ = ca_file + ": " + ec.message();
        }
    }
}

ObjectHttpPool::~ObjectHttpPool() = default;

std::size_t ObjectHttpPool::connections_opened() const {
    std::lock_guard lock(mutex_);
    return opened_;
}

std::unique_ptr<ObjectHttpPool::Connection> ObjectHttpPool::take(const std::string& address,
                                                                 const std::string& port,
                                                                 bool tls) {
    std::lock_guard lock(mutex_);
    for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
        if ((*it)->address == address && (*it)->port == port && (*it)->tls == tls) {
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
        auto connection = take(request.address, request.port, request.tls);
        const bool reused = connection != nullptr;
        if (!connection) {
            if (request.tls && !ca_problem_.empty()) {
                return fail(ErrorCode::StorageUnavailable,
                            "the certificate authorities of storage.s3.ca_file cannot be read",
                            ca_problem_);
            }
            connection = std::make_unique<Connection>();
            connection->address = request.address;
            connection->port = request.port;
            connection->tls = request.tls;
            if (auto ec = connection->connect(request.timeout, tls_.get())) {
                return fail(ErrorCode::StorageUnavailable, "the object store cannot be reached",
                            request.address + ":" + request.port + ": " + ec.message());
            }
            std::lock_guard lock(mutex_);
            ++opened_;
        }
        connection->transport().expires_after(request.timeout);
        http::response_parser<http::string_body> parser;
        parser.body_limit(kLargestAnswer);
        if (request.method == "HEAD") {
            parser.skip(true);
        }
        std::size_t read = 0;
        const auto ec = connection->exchange(message, parser, read);
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

storage::s3::ObjectHttp pooled_object_http(std::size_t max_idle, const std::string& ca_file) {
    auto pool = std::make_shared<ObjectHttpPool>(max_idle, ca_file);
    return [pool](const ObjectRequest& request) { return pool->send(request); };
}

}  // namespace imgline::server
