#pragma once

#include "common/expected.h"
#include "server/http_types.h"
#include "server/session.h"

#include <chrono>
#include <memory>

namespace imgline::server {

/// Accepts connections and gives each a Session on its own strand. Past max_connections a
/// connection is answered 503 and closed. On accept errors (EMFILE, ENFILE, ENOBUFS, ...)
/// it backs off with a timer, doubling from 10 ms to 1 s, instead of spinning.
class Listener : public std::enable_shared_from_this<Listener> {
public:
    /// Binds and listens; fails when the address cannot be used (in use, not ours, ...).
    static Expected<std::shared_ptr<Listener>> create(net::io_context& io,
                                                      const tcp::endpoint& at,
                                                      SessionContext& context);

    void start();

    /// Stops accepting. Thread-safe.
    void stop();

    tcp::endpoint local_endpoint() const;

private:
    Listener(net::io_context& io, SessionContext& context);

    void do_accept();
    void on_accept(beast::error_code ec, tcp::socket socket);
    // Starts, sheds room for, limits to health checks, or refuses a new connection.
    void admit(const std::shared_ptr<Session>& session);
    void on_backoff(beast::error_code ec);

    net::io_context& io_;
    SessionContext& context_;
    tcp::acceptor acceptor_;
    net::steady_timer backoff_timer_;
    std::chrono::milliseconds backoff_{0};
};

}  // namespace imgline::server
