#include "server/listener.h"

#include "common/log.h"

namespace imgline::server {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{10};
// Connections past max_connections that may still ask /healthz or /readyz, so that probes
// see a full server as full rather than as dead (within the descriptor reserve).
constexpr std::size_t kHealthConnections = 8;
constexpr std::chrono::milliseconds kMaxBackoff{1000};

}  // namespace

Listener::Listener(net::io_context& io, SessionContext& context)
    : io_(io),
      context_(context),
      acceptor_(net::make_strand(io)),
      backoff_timer_(acceptor_.get_executor()) {}

Expected<std::shared_ptr<Listener>> Listener::create(net::io_context& io,
                                                     const tcp::endpoint& at,
                                                     SessionContext& context) {
    std::shared_ptr<Listener> listener(new Listener(io, context));
    beast::error_code ec;
    auto& acceptor = listener->acceptor_;
    const auto where = at.address().to_string() + ":" + std::to_string(at.port());
    acceptor.open(at.protocol(), ec);
    if (!ec) {
        acceptor.set_option(net::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        acceptor.bind(at, ec);
    }
    if (!ec) {
        acceptor.listen(net::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        return fail(ErrorCode::Internal, "cannot listen on " + where + ": " + ec.message());
    }
    return listener;
}

void Listener::start() {
    net::dispatch(acceptor_.get_executor(),
                  beast::bind_front_handler(&Listener::do_accept, shared_from_this()));
}

void Listener::stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
        beast::error_code ec;
        self->acceptor_.close(ec);
        self->backoff_timer_.cancel();
    });
}

tcp::endpoint Listener::local_endpoint() const {
    beast::error_code ec;
    return acceptor_.local_endpoint(ec);
}

void Listener::do_accept() {
    // Each connection gets its own strand, so its handlers never run concurrently.
    acceptor_.async_accept(net::make_strand(io_),
                           beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) {
        return;  // stopped
    }
    if (ec) {
        backoff_ = backoff_ == std::chrono::milliseconds{0} ? kFirstBackoff
                                                            : std::min(backoff_ * 2, kMaxBackoff);
        log::warn("accept failed; backing off",
                  {{"error", ec.message()}, {"backoff_ms", backoff_.count()}});
        backoff_timer_.expires_after(backoff_);
        backoff_timer_.async_wait(
            beast::bind_front_handler(&Listener::on_backoff, shared_from_this()));
        return;
    }
    backoff_ = std::chrono::milliseconds{0};
    admit(std::make_shared<Session>(std::move(socket), context_));
    do_accept();
}

void Listener::admit(const std::shared_ptr<Session>& session) {
    const auto& server = context_.server;
    const std::string& peer = session->peer_address();
    if (server.max_connections_per_address != 0 &&
        context_.registry.from(peer) >= server.max_connections_per_address &&
        !context_.trusted_proxies.contains(peer)) {
        session->reject_overloaded(
            "too many open connections from your address; close some and try again");
        return;
    }
    const std::size_t open = context_.registry.size();
    if (open < server.max_connections || context_.registry.shed_oldest_idle()) {
        session->start();  // a shed connection closes on its own strand right after
    } else if (open < server.max_connections + kHealthConnections) {
        session->start_health_only();
    } else {
        session->reject_overloaded("the server has too many open connections; try again");
    }
}

void Listener::on_backoff(beast::error_code ec) {
    if (ec || !acceptor_.is_open()) {
        return;
    }
    do_accept();
}

}  // namespace imgline::server
