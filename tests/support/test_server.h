#pragma once

#include "app/services.h"
#include "config/config.h"
#include "server/router.h"
#include "server/server.h"
#include "tests/support/temp_dir.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace imgline::test {

/// The real imgline server, in this process, on 127.0.0.1 with an ephemeral port, serving the
/// production routes plus any `extra_routes` a test adds. `run()` runs on its own thread;
/// the destructor shuts down gracefully and joins.
class TestServer {
public:
    /// `tune` may change the configuration before the server starts (limits, timeouts, ...).
    explicit TestServer(const std::function<void(config::Config&)>& tune = {},
                        std::vector<server::Route> extra_routes = {});
    ~TestServer();

    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    unsigned short port() const {
        return server_->port();
    }

    server::Server& server() {
        return *server_;
    }

    const config::Config& config() const {
        return config_;
    }

    /// Asks for a graceful shutdown and waits for run() to return; false if it did not
    /// within `timeout`.
    bool shutdown(std::chrono::milliseconds timeout = std::chrono::seconds(10));

    storage::OriginalStore& store() {
        return services_->store;
    }

    app::Services& services() {
        return *services_;
    }

private:
    TempDir data_;
    config::Config config_;
    std::shared_ptr<prometheus::Registry> registry_;
    std::unique_ptr<app::Services> services_;
    std::unique_ptr<server::Server> server_;
    std::thread thread_;
    std::shared_ptr<std::atomic<bool>> finished_;
};

}  // namespace imgline::test
