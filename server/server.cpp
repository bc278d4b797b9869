#include "server/server.h"

#include "common/log.h"
#include "config/units.h"
#include "server/listener.h"
#include "server/session.h"

#include <csignal>
#include <cstdlib>

#include <prometheus/gauge.h>

namespace imgline::server {
namespace {

int worker_count(const config::ServerConfig& server) {
    if (server.worker_threads > 0) {
        return server.worker_threads;
    }
    const unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? 1 : static_cast<int>(cores);
}

}  // namespace

Server::Server(Options options, std::shared_ptr<prometheus::Registry> registry)
    : options_(std::move(options)),
      metrics_(std::move(registry)),
      bodies_(options_.limits.bodies_in_flight),
      trusted_proxies_(options_.trusted_proxies),
      workers_(WorkerPool::Options{worker_count(options_.server),
                                   static_cast<std::size_t>(options_.server.queue_capacity),
                                   options_.on_worker_exit}),
      io_(options_.server.io_threads),
      signals_(io_),
      reload_signals_(io_),
      grace_timer_(io_) {
    // Bodies sent with sendfile(2) to a peer that has gone raise SIGPIPE; the send's EPIPE is
    // all the session needs.
    std::signal(SIGPIPE, SIG_IGN);
    metrics_.worker_threads.Set(static_cast<double>(workers_.threads()));
}

Server::~Server() {
    workers_.shutdown();
    // Sessions still queued on io_ are destroyed with it; they must not post back into it.
    registry_.set_on_empty(nullptr);
}

Expected<std::unique_ptr<Server>> Server::create(Options options,
                                                 RouteFactory make_routes,
                                                 std::shared_ptr<prometheus::Registry> registry) {
    auto listen = config::parse_listen(options.server.listen);
    if (!listen) {
        return fail(ErrorCode::Internal, "server.listen is not HOST:PORT");
    }
    beast::error_code ec;
    const auto address = net::ip::make_address(listen->host, ec);
    if (ec) {
        return fail(ErrorCode::Internal,
                    "server.listen: '" + listen->host + "' is not an IP address");
    }
    if (options.spool_dir.empty()) {
        const char* tmpdir = std::getenv("TMPDIR");
        options.spool_dir = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
    }
    // A body that goes to disk must not fail only then: try the directory now.
    SpooledBytes probe;
    probe.spool_to(options.spool_dir, 0);
    if (!probe.expect(1)) {
        return fail(ErrorCode::StorageUnavailable,
                    "cannot hold large request bodies: " + probe.failure());
    }
    std::unique_ptr<Server> server(new Server(std::move(options), std::move(registry)));
    server->router_ =
        std::make_unique<RouterSlot>(std::make_shared<const Router>(make_routes(*server)));
    server->context_ = std::make_unique<SessionContext>(
        SessionContext{*server->router_, server->options_.server, server->options_.limits,
                       server->workers_, server->metrics_, server->registry_, server->bodies_,
                       server->trusted_proxies_, server->options_.spool_dir});
    auto listener =
        Listener::create(server->io_, tcp::endpoint(address, listen->port), *server->context_);
    if (!listener) {
        return tl::unexpected(listener.error());
    }
    server->listener_ = std::move(*listener);
    server->registry_.set_on_empty(
        [raw = server.get()] { net::post(raw->io_, [raw] { raw->finish_if_drained(); }); });
    return server;
}

void Server::run() {
    listener_->start();
    if (options_.handle_signals) {
        signals_.add(SIGINT);
        signals_.add(SIGTERM);
        signals_.async_wait([this](beast::error_code ec, int signal) {
            if (!ec) {
                log::info("shutting down", {{"signal", signal}});
                begin_shutdown();
            }
        });
        if (options_.on_reload) {
            reload_signals_.add(SIGHUP);
            wait_for_reload();
        }
    }
    std::vector<std::thread> extra;
    for (int i = 1; i < options_.server.io_threads; ++i) {
        extra.emplace_back([this] { io_.run(); });
    }
    io_.run();
    for (auto& thread : extra) {
        thread.join();
    }
    // Every session has gone; jobs still queued (only after a forced stop) finish here.
    workers_.shutdown();
}

void Server::wait_for_reload() {
    reload_signals_.async_wait([this](beast::error_code ec, int /*signal*/) {
        if (ec || draining_.load()) {
            return;
        }
        log::info("reloading on SIGHUP");
        // Reloads build aside and swap; a worker keeps the I/O thread free meanwhile.
        if (!workers_.try_submit(options_.on_reload)) {
            log::warn("reload skipped: the work queue is full; send SIGHUP again");
        }
        wait_for_reload();
    });
}

void Server::request_shutdown() {
    net::post(io_, [this] { begin_shutdown(); });
}

void Server::begin_shutdown() {
    if (draining_.exchange(true)) {
        return;
    }
    listener_->stop();
    beast::error_code ec;
    signals_.cancel(ec);
    reload_signals_.cancel(ec);
    grace_timer_.expires_after(options_.server.shutdown_grace);
    grace_timer_.async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec) {
            log::warn("shutdown grace period over; closing the remaining connections",
                      {{"open_connections", registry_.size()}});
            io_.stop();
        }
    });
    for (const auto& session : registry_.snapshot()) {
        session->drain();
    }
    finish_if_drained();
}

void Server::finish_if_drained() {
    if (draining_.load() && registry_.size() == 0) {
        // Nothing left to wait for: cancelling the timer lets io_.run() run out of work.
        grace_timer_.cancel();
    }
}

unsigned short Server::port() const {
    return listener_->local_endpoint().port();
}

std::string Server::url() const {
    const auto endpoint = listener_->local_endpoint();
    auto address = endpoint.address();
    std::string host = address.to_string();
    if (address.is_unspecified()) {
        host = address.is_v6() ? "[::1]" : "127.0.0.1";
    } else if (address.is_v6()) {
        host = "[" + host + "]";
    }
    return "http://" + host + ":" + std::to_string(endpoint.port()) + "/";
}

void Server::refresh_gauges() {
    metrics_.queue_depth.Set(static_cast<double>(workers_.queued()));
    metrics_.workers_busy.Set(static_cast<double>(workers_.busy()));
}

void Server::replace_routes(std::vector<Route> routes) {
    router_->set(std::make_shared<const Router>(std::move(routes)));
}

}  // namespace imgline::server
