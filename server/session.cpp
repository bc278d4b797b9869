#include "server/session.h"

#include "common/log.h"
#include "common/text.h"
#include "server/http_response.h"
#include "server/request_head.h"
#include "server/request_id.h"

#include <cerrno>
#include <limits>
#include <sys/sendfile.h>
#include <sys/socket.h>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

namespace imgline::server {
namespace {

// How much is read at once while waiting for a new request.
constexpr std::size_t kReadChunk = 4096;
// After an error answered before its body was read, the rest of the body is read and dropped
// for at most this long and this much, so the client sees the answer rather than a reset.
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr std::size_t kLingerBytes = 256 * 1024;

bool is_quiet_close(const beast::error_code& ec) {
    // The client went away, the timeout fired, or we are shutting down: nothing to answer.
    return ec == http::error::end_of_stream || ec == http::error::partial_message ||
           ec == beast::error::timeout || ec == net::error::operation_aborted ||
           ec == net::error::eof || ec == net::error::connection_reset ||
           ec == net::error::broken_pipe;
}

// The header of a response whose body the session sends itself, as it goes on the wire.
std::string serialized_header(http::response<SharedBody>& response) {
    http::response_serializer<SharedBody> serializer(response);
    serializer.split(true);
    std::string header;
    beast::error_code ec;
    while (!ec && !serializer.is_header_done()) {
        serializer.next(ec, [&](beast::error_code& /*ec*/, const auto& buffers) {
            for (const auto buffer : beast::buffers_range_ref(buffers)) {
                header.append(static_cast<const char*>(buffer.data()), buffer.size());
            }
            serializer.consume(beast::buffer_bytes(buffers));
        });
    }
    return header;
}

bool expects_continue(const HttpRequest& request) {
    auto found = request.find(http::field::expect);
    return found != request.end() && equals_ignoring_case(trim(found->value()), "100-continue");
}

}  // namespace

Session::Session(tcp::socket&& socket, SessionContext& context)
    : context_(context), stream_(std::move(socket)), file_timer_(stream_.get_executor()) {
    beast::error_code ec;
    const auto peer = stream_.socket().remote_endpoint(ec);
    if (!ec) {
        peer_address_ = peer.address().to_string();
    }
    const auto local = stream_.socket().local_endpoint(ec);
    if (!ec) {
        const std::string host = local.address().to_string();
        local_address_ = (local.address().is_v6() ? "[" + host + "]" : host) + ":" +
                         std::to_string(local.port());
    }
    // Every response is written whole and at once, so nothing is gained by Nagle holding a
    // body's last partial segment until the previous one is acknowledged.
    stream_.socket().set_option(tcp::no_delay(true), ec);
    // sendfile(2) on a file body must never block the I/O thread (see send_file_part).
    stream_.socket().native_non_blocking(true, ec);
}

Session::~Session() {
    release_body_reservation();
    if (in_flight_) {
        context_.metrics.in_flight.Decrement();
    }
    if (registered_) {
        context_.metrics.open_connections.Decrement();
        context_.registry.remove(this);
    }
}

void Session::register_open() {
    context_.registry.add(shared_from_this(), peer_address_);
    registered_ = true;
    context_.metrics.open_connections.Increment();
}

void Session::start() {
    register_open();
    // All work on this connection happens on its strand; start there, waiting for the first
    // bytes like a keep-alive connection between requests (idle: the first to be shed).
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::wait_for_request, shared_from_this()));
}

void Session::start_health_only() {
    register_open();
    health_only_ = true;
    close_after_write_ = true;
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::read_header, shared_from_this()));
}

void Session::close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
        if (self->state_ == State::Idle) {
            self->close();
        }
    });
}

void Session::reject_overloaded(std::string_view why) {
    context_.metrics.connections_rejected.Increment();
    net::dispatch(stream_.get_executor(), [self = shared_from_this(), why = std::string(why)] {
        self->started_ = std::chrono::steady_clock::now();
        self->request_id_ = request_id_for({});
        self->route_name_ = "rejected";
        self->send_error(make_error(ErrorCode::Overloaded, why), true);
    });
}

void Session::drain() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
        self->draining_ = true;
        if (self->state_ == State::Idle || self->state_ == State::ReadingHeader) {
            // Nothing asked of us yet: the pending read ends with operation_aborted.
            self->close();
        }
    });
}

void Session::release_body_reservation() {
    if (body_reserved_ != 0) {
        context_.bodies.release(body_reserved_);
        body_reserved_ = 0;
    }
}

void Session::wait_for_request() {
    parser_.reset();  // the body's memory goes with its parser
    request_.reset();
    release_body_reservation();
    if (draining_) {
        close();
        return;
    }
    if (buffer_.size() > 0) {
        read_header();  // the client already pipelined the next request
        return;
    }
    state_ = State::Idle;
    idle_since_.store(std::chrono::steady_clock::now().time_since_epoch().count(),
                      std::memory_order_relaxed);
    stream_.expires_after(context_.server.idle_timeout);
    stream_.async_read_some(
        buffer_.prepare(kReadChunk),
        beast::bind_front_handler(&Session::on_first_bytes, shared_from_this()));
}

void Session::on_first_bytes(beast::error_code ec, std::size_t bytes) {
    idle_since_.store(0, std::memory_order_relaxed);
    if (ec) {
        close();
        return;
    }
    buffer_.commit(bytes);
    read_header();
}

void Session::read_header() {
    state_ = State::ReadingHeader;
    parser_.emplace();
    parser_->get().body().spool_to(context_.spool_dir, kBodyInMemoryBytes);
    parser_->header_limit(static_cast<std::uint32_t>(context_.limits.header_bytes));
    // Beast checks Content-Length against the body limit while parsing the header; the real
    // limit depends on the route, which is known only once the header is in (see on_header).
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    // The whole header must arrive within header_timeout of its first byte (slowloris).
    stream_.expires_after(context_.server.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
}

void Session::on_header(beast::error_code ec, std::size_t /*bytes*/) {
    started_ = std::chrono::steady_clock::now();
    if (ec) {
        if (is_quiet_close(ec)) {
            close();
            return;
        }
        request_id_ = request_id_for({});
        if (ec == http::error::header_limit) {
            send_error(make_error(ErrorCode::HeaderTooLarge,
                                  "the request header is larger than " +
                                      std::to_string(context_.limits.header_bytes) + " bytes"),
                       true);
        } else {
            send_error(make_error(ErrorCode::BadRequest, "the request is not valid HTTP/1.1",
                                  ec.message()),
                       true);
        }
        return;
    }
    in_flight_ = true;
    context_.metrics.in_flight.Increment();
    const auto& head = parser_->get();
    request_id_ = request_id_for(head["X-Request-Id"]);

    auto read = read_request_head(head, parser_->chunked());
    if (!read) {
        send_error(read.error(), true);
        return;
    }
    router_ = context_.router.get();
    match_ = router_->match(read->method, read->segments);

    std::uint64_t body_limit = context_.limits.body_bytes;
    std::optional<app::Party> party;
    if (auto* found = std::get_if<RouteMatch>(&match_)) {
        route_name_ = found->route->name;
        body_limit = found->route->body_limit.value_or(body_limit);
        if (found->route->key_check) {
            // Refused from the header alone: a client without a key cannot make us receive,
            // let alone buffer, its body (no 100 Continue either).
            auto checked = found->route->key_check(head[http::field::authorization]);
            if (!checked) {
                send_error(checked.error(), !parser_->is_done());
                return;
            }
            party = std::move(*checked);
        }
    } else {
        route_name_ = "unmatched";
    }
    const auto* matched = std::get_if<RouteMatch>(&match_);
    if (health_only_ && !(matched && matched->route->answers_at_cap)) {
        send_error(make_error(ErrorCode::Overloaded,
                              "the server has too many open connections; try again"),
                   true);
        return;
    }
    if (auto length = parser_->content_length(); length && *length > body_limit) {
        // Answer before reading the body: a client may not make us receive what we refuse.
        send_error(
            make_error(ErrorCode::PayloadTooLarge,
                       "the request body is larger than " + std::to_string(body_limit) + " bytes"),
            true);
        return;
    }
    parser_->body_limit(body_limit);
    if (!parser_->is_done()) {
        // The bytes this body may take, reserved before any of it is read (see BodyBudget).
        const std::uint64_t wanted = parser_->content_length().value_or(body_limit);
        if (!context_.bodies.try_reserve(wanted)) {
            send_error(make_error(ErrorCode::Overloaded,
                                  "the server is receiving too many uploads; try again shortly"),
                       true);
            return;
        }
        body_reserved_ = wanted;
    }

    Request request{head,
                    read->method,
                    std::move(read->segments),
                    std::move(read->query),
                    {},
                    request_id_,
                    peer_address_,
                    local_address_,
                    {},  // set when the body is complete (handle)
                    std::move(party)};
    if (auto* found = std::get_if<RouteMatch>(&match_)) {
        request.params = found->params;
    }
    request_.emplace(std::move(request));

    if (parser_->is_done()) {
        handle();
    } else if (expects_continue(head)) {
        continue_.emplace(http::status::continue_, head.version());
        stream_.expires_after(context_.server.write_timeout);
        http::async_write(
            stream_, *continue_,
            beast::bind_front_handler(&Session::on_continue_sent, shared_from_this()));
    } else {
        read_body();
    }
}

void Session::on_continue_sent(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) {
        close();
        return;
    }
    read_body();
}

void Session::read_body() {
    state_ = State::ReadingBody;
    stream_.expires_after(context_.server.body_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_body, shared_from_this()));
}

void Session::on_body(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec == http::error::body_limit) {
        send_error(make_error(ErrorCode::PayloadTooLarge, "the request body is too large"), true);
        return;
    }
    if (const auto& held = parser_->get().body(); !held.failure().empty()) {
        // Our disk, not the client's mistake.
        const bool full = held.failure_errno() == ENOSPC || held.failure_errno() == EDQUOT;
        send_error(make_error(full ? ErrorCode::InsufficientStorage : ErrorCode::StorageUnavailable,
                              "the server could not hold the request body", held.failure()),
                   true);
        return;
    }
    if (ec) {
        if (is_quiet_close(ec)) {
            close();
            return;
        }
        send_error(make_error(ErrorCode::BadRequest, "the request body is not valid", ec.message()),
                   true);
        return;
    }
    handle();
}

void Session::handle() {
    state_ = State::Handling;
    stream_.expires_never();
    if (request_) {
        // The work is timed from here, once the body is in: a slow but steady upload is bounded
        // by body_timeout, not by the time its processing may take.
        request_->deadline = Deadline::after(context_.limits.render_timeout);
    }
    if (const auto* miss = std::get_if<RouteMiss>(&match_)) {
        if (miss->allowed.empty()) {
            send_error(make_error(ErrorCode::NotFound, "there is nothing at this path"), false);
            return;
        }
        Reply reply = Reply::from_error(
            make_error(ErrorCode::MethodNotAllowed,
                       "this path answers " + allow_header(miss->allowed) + " only"),
            request_id_, context_.server.retry_after_seconds);
        reply.with_header("Allow", allow_header(miss->allowed));
        send(std::move(reply));
        return;
    }
    const Route& route = *std::get<RouteMatch>(match_).route;
    if (route.execution == Execution::Worker) {
        run_on_worker(route);
        return;
    }
    if (route.execution == Execution::Async) {
        run_async(route);
        return;
    }
    auto result = call_handler(route);
    if (!result) {
        send_error(result.error(), false);
        return;
    }
    send(std::move(*result));
}

void Session::run_on_worker(const Route& route) {
    const bool queued =
        context_.workers.try_submit([self = shared_from_this(), &route, respond = responder()] {
            respond(self->call_handler(route));
        });
    if (!queued) {
        send_error(make_error(ErrorCode::Overloaded, "the server is busy; try again shortly"),
                   false);
    }
}

Respond Session::responder() {
    // The tracked executor keeps the io_context running until the answer is posted back, even
    // when this connection has no read or write pending meanwhile.
    auto executor = net::prefer(stream_.get_executor(), net::execution::outstanding_work.tracked);
    return [self = shared_from_this(), executor](Expected<Reply> result) {
        net::post(executor, [self, result = std::move(result)]() mutable {
            if (!result) {
                self->send_error(result.error(), false);
            } else {
                self->send(std::move(*result));
            }
        });
    };
}

void Session::run_async(const Route& route) {
    try {
        route.async_handler(*request_, responder());
    } catch (...) {
        send_error(error_from_current_exception(), false);
    }
}

Expected<Reply> Session::call_handler(const Route& route) const {
    // Nothing throws into Beast: a stray exception is a bug, answered as 500, and running out
    // of memory a 503.
    try {
        return route.handler(*request_);
    } catch (...) {
        return tl::unexpected(error_from_current_exception());
    }
}

void Session::send_error(const Error& error, bool close_after) {
    if (close_after) {
        close_after_write_ = true;
    }
    const auto level = is_client_error(error.code)         ? log::Level::Info
                       : error.code == ErrorCode::Internal ? log::Level::Error
                                                           : log::Level::Warn;
    if (!error.detail.empty() || level != log::Level::Info) {
        log::write(level, "request failed",
                   {{"request_id", request_id_},
                    {"code", error_slug(error.code)},
                    {"detail", error.detail}});
    }
    send(Reply::from_error(error, request_id_, context_.server.retry_after_seconds));
}

void Session::send(Reply reply) {
    state_ = State::Writing;
    const bool have_request = parser_ && parser_->is_header_done();
    const bool keep_alive =
        !close_after_write_ && !draining_ && have_request && parser_->get().keep_alive();
    close_after_write_ = !keep_alive;
    const bool head_only = have_request && parser_->get().method() == http::verb::head;
    const int status = reply.status;
    const std::size_t body_bytes = reply.body_size();
    boost::json::object log_fields = std::move(reply.log_fields);
    FileBody file = reply.file_body;  // a copy: the response still needs its length
    response_.emplace(to_http_response(
        std::move(reply), ResponseFraming{have_request ? parser_->get().version() : 11u, keep_alive,
                                          head_only, request_id_}));

    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    context_.metrics.observe(route_name_, status, seconds);
    log_request(status, body_bytes, std::move(log_fields));

    if (file.file && !head_only) {
        file_header_ = serialized_header(*response_);
        file_header_sent_ = 0;
        file_ = std::move(file);
        file_sent_ = 0;
        send_file_part();
        return;
    }
    stream_.expires_after(context_.server.write_timeout);
    http::async_write(stream_, *response_,
                      beast::bind_front_handler(&Session::on_write, shared_from_this()));
}

void Session::send_file_part() {
    const int socket = stream_.socket().native_handle();
    // The header goes first, flagged MSG_MORE so it leaves in one segment with the body's start.
    while (file_header_sent_ < file_header_.size()) {
        const ssize_t sent =
            ::send(socket, file_header_.data() + file_header_sent_,
                   file_header_.size() - file_header_sent_, MSG_DONTWAIT | MSG_NOSIGNAL | MSG_MORE);
        if (sent < 0 && errno == EINTR) {
            continue;
        }
        if (sent < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                wait_until_writable();
            } else {
                finish_file(beast::error_code(errno, beast::system_category()));
            }
            return;
        }
        file_header_sent_ += static_cast<std::size_t>(sent);
    }
    // The socket is non-blocking (see the constructor), so sendfile takes what fits and says
    // EAGAIN for the rest (SIGPIPE is ignored by the server: a closed peer is EPIPE).
    while (file_sent_ < file_.length) {
        off_t offset = static_cast<off_t>(file_.offset + file_sent_);
        const ssize_t sent = ::sendfile(socket, file_.file->fd(), &offset,
                                        static_cast<std::size_t>(file_.length - file_sent_));
        if (sent < 0 && errno == EINTR) {
            continue;
        }
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            wait_until_writable();
            return;
        }
        if (sent <= 0) {
            // 0: the file is shorter than promised, and the response cannot be completed.
            finish_file(sent == 0 ? beast::error_code(net::error::eof)
                                  : beast::error_code(errno, beast::system_category()));
            return;
        }
        file_sent_ += static_cast<std::uint64_t>(sent);
    }
    finish_file({});
}

void Session::wait_until_writable() {
    // A wait on the raw socket is outside tcp_stream's timeouts, so it has its own timer.
    file_timer_.expires_after(context_.server.write_timeout);
    file_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (!ec) {
            beast::error_code ignored;
            self->stream_.socket().cancel(ignored);  // the wait below ends operation_aborted
        }
    });
    stream_.socket().async_wait(tcp::socket::wait_write,
                                [self = shared_from_this()](beast::error_code ec) {
                                    self->file_timer_.cancel();
                                    if (ec) {
                                        self->finish_file(ec);
                                        return;
                                    }
                                    self->send_file_part();
                                });
}

void Session::finish_file(beast::error_code ec) {
    file_ = FileBody{};
    file_header_.clear();
    on_write(ec, 0);
}

void Session::on_write(beast::error_code ec, std::size_t /*bytes*/) {
    response_.reset();
    if (in_flight_) {
        in_flight_ = false;
        context_.metrics.in_flight.Decrement();
    }
    if (ec) {
        close();
        return;
    }
    if (close_after_write_) {
        linger_close();
        return;
    }
    wait_for_request();
}

void Session::linger_close() {
    state_ = State::Closed;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
        close();
        return;
    }
    stream_.expires_after(kLingerTime);
    stream_.async_read_some(
        net::buffer(discard_),
        beast::bind_front_handler(&Session::on_linger_read, shared_from_this()));
}

void Session::on_linger_read(beast::error_code ec, std::size_t bytes) {
    lingered_bytes_ += bytes;
    if (ec || lingered_bytes_ >= kLingerBytes) {
        close();
        return;
    }
    stream_.async_read_some(
        net::buffer(discard_),
        beast::bind_front_handler(&Session::on_linger_read, shared_from_this()));
}

void Session::close() {
    state_ = State::Closed;
    idle_since_.store(0, std::memory_order_relaxed);
    parser_.reset();
    request_.reset();
    release_body_reservation();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
}

void Session::log_request(int status, std::size_t body_bytes, boost::json::object fields) const {
    if (!log::enabled(log::Level::Info)) {
        return;  // the fields below cost more than nothing on every request
    }
    fields.insert({{"request_id", request_id_},
                   {"route", route_name_},
                   {"status", status},
                   {"bytes", body_bytes},
                   {"peer", peer_address_}});
    if (parser_ && parser_->is_header_done()) {
        const auto& head = parser_->get();
        fields["method"] = std::string_view(head.method_string());
        const auto target = std::string_view(head.target());
        fields["path"] = target.substr(0, target.find('?'));
    }
    fields["duration_us"] = std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now() - started_)
                                .count();
    log::info("request", std::move(fields));
}

}  // namespace imgline::server
