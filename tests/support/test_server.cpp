#include "tests/support/test_server.h"

#include "config/validate_config.h"
#include "server/http_client.h"
#include "server/object_http_pool.h"
#include "server/routes.h"
#include "tests/support/corpus.h"

#include <atomic>
#include <stdexcept>

#include <prometheus/registry.h>

namespace imgline::test {

TestServer::TestServer(const std::function<void(config::Config&)>& tune,
                       std::vector<server::Route> extra_routes)
    : config_(config::builtin_config()), finished_(std::make_shared<std::atomic<bool>>(false)) {
    config_.server.listen = "127.0.0.1:0";
    config_.server.worker_threads = 2;
    config_.storage.data_dir = data_.path().string();
    // Tests count renders; background pre-renders after uploads would add to them. The tests
    // about pre-rendering turn it back on.
    config_.storage.prerender = false;
    if (tune) {
        tune(config_);
    }
    if (auto problems = config::validate(config_); !problems.empty()) {
        throw std::runtime_error("test config is invalid: " + problems.front().key + ": " +
                                 problems.front().message);
    }
    ensure_vips();  // uploads are inspected by the pipeline
    registry_ = std::make_shared<prometheus::Registry>();
    auto services =
        app::Services::create(config_, *registry_, server::http_get,
                              server::pooled_object_http(32, config_.storage.s3.ca_file));
    if (!services) {
        throw std::runtime_error("test services did not start: " + services.error().detail);
    }
    services_ = std::move(*services);
    server::Server::Options options{
        config_.server,          config_.limits, false, {}, {}, config_.carriers.trusted_proxies,
        config_.storage.data_dir};
    auto made = server::Server::create(
        options,
        [this, extra = std::move(extra_routes)](server::Server& s) {
            auto routes = server::all_routes(s, config_, *services_);
            routes.insert(routes.end(), extra.begin(), extra.end());
            return routes;
        },
        registry_);
    if (!made) {
        throw std::runtime_error("test server did not start: " + made.error().public_message);
    }
    server_ = std::move(*made);
    thread_ = std::thread([server = server_.get(), finished = finished_] {
        server->run();
        finished->store(true);
    });
}

TestServer::~TestServer() {
    shutdown();
    if (thread_.joinable()) {
        thread_.join();
    }
}

bool TestServer::shutdown(std::chrono::milliseconds timeout) {
    server_->request_shutdown();
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!finished_->load()) {
        if (std::chrono::steady_clock::now() > until) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (thread_.joinable()) {
        thread_.join();
    }
    return true;
}

}  // namespace imgline::test
