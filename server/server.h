#pragma once

#include "cdn/viewer_address.h"
#include "common/expected.h"
#include "common/worker_pool.h"
#include "config/config.h"
#include "server/body_budget.h"
#include "server/http_metrics.h"
#include "server/http_types.h"
#include "server/router.h"
#include "server/session_registry.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

namespace imgline::server {

class Listener;
struct SessionContext;

/// The HTTP server: I/O threads running Beast, a CPU worker pool, and the routing table.
/// `create` binds the port (so the URL is known before `run`); `run` serves until a shutdown
/// is asked for (SIGTERM/SIGINT when `handle_signals`, or `request_shutdown()`), then stops
/// accepting, lets every in-flight request finish (up to server.shutdown_grace), and returns.
class Server {
public:
    struct Options {
        config::ServerConfig server;
        config::LimitsConfig limits;
        /// Install SIGTERM/SIGINT handlers during run() (the binary does; tests do not).
        bool handle_signals = false;
        /// Run on each worker thread as it ends (libvips' per-thread cleanup).
        std::function<void()> on_worker_exit;
        /// Run on SIGHUP when `handle_signals` (reloads the carrier lists and the configuration),
        /// on a worker thread.
        std::function<void()> on_reload;
        /// Proxies (carriers.trusted_proxies): exempt from max_connections_per_address, since
        /// many viewers reach the server through each.
        std::vector<std::string> trusted_proxies;
        /// Where request bodies larger than kBodyInMemoryBytes are held while they arrive
        /// (unnamed temporary files); empty: $TMPDIR, else /tmp. The binary uses the data dir.
        std::string spool_dir;
    };

    /// The routes need the server's metrics and pool (e.g. /metrics, /readyz), so they are
    /// made by `make_routes` once those exist.
    using RouteFactory = std::function<std::vector<Route>(Server&)>;

    static Expected<std::unique_ptr<Server>> create(Options options,
                                                    RouteFactory make_routes,
                                                    std::shared_ptr<prometheus::Registry> registry);
    ~Server();

    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Serves until shut down; returns once every connection has closed.
    void run();

    /// Begins the graceful shutdown. Thread-safe, idempotent.
    void request_shutdown();

    /// True from the moment a shutdown was asked for (/readyz turns 503).
    bool is_draining() const {
        return draining_.load();
    }

    /// The bound port (useful with port 0).
    unsigned short port() const;

    /// "http://127.0.0.1:8080/" for the bound address.
    std::string url() const;

    HttpMetrics& metrics() {
        return metrics_;
    }

    WorkerPool& workers() {
        return workers_;
    }

    /// Copies the pool's current numbers into the gauges (called before /metrics renders).
    void refresh_gauges();

    /// Serves `routes` from now on (a reloaded configuration's); requests already matched
    /// finish on the routes they were matched in. Thread-safe.
    void replace_routes(std::vector<Route> routes);

private:
    Server(Options options, std::shared_ptr<prometheus::Registry> registry);

    void begin_shutdown();
    void wait_for_reload();
    void finish_if_drained();

    Options options_;
    HttpMetrics metrics_;
    SessionRegistry registry_;
    BodyBudget bodies_;
    cdn::AddressSet trusted_proxies_;
    WorkerPool workers_;
    std::unique_ptr<RouterSlot> router_;
    std::unique_ptr<SessionContext> context_;
    net::io_context io_;
    std::shared_ptr<Listener> listener_;
    net::signal_set signals_;
    net::signal_set reload_signals_;
    net::steady_timer grace_timer_;
    std::atomic<bool> draining_{false};
};

}  // namespace imgline::server
