#include "cli/serve_command.h"

#include "app/services.h"
#include "cli/configuration.h"
#include "cli/systemd_notify.h"
#include "common/log.h"
#include "config/descriptor_budget.h"
#include "config/load_config.h"
#include "pipeline/vips_runtime.h"
#include "server/config_reload.h"
#include "server/http_client.h"
#include "server/object_http_pool.h"
#include "server/routes.h"
#include "server/server.h"
#include "storage/data_dir.h"

#include <algorithm>
#include <iostream>
#include <sys/resource.h>
#include <thread>

#include <CLI/CLI.hpp>
#include <prometheus/registry.h>

namespace imgline::cli {
namespace {

// Command-line flags win over the file and the environment.
config::LoadResult load(const ServeArgs& args) {
    return load_configuration(args.config_path, [&](config::Config& config) {
        if (args.listen) {
            config.server.listen = *args.listen;
        }
        if (args.data_dir) {
            config.storage.data_dir = *args.data_dir;
        }
    });
}

// Raises the soft RLIMIT_NOFILE to the hard limit (systemd's default soft limit is 1024) and
// returns the soft limit now in force.
std::uint64_t raise_descriptor_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return 1024;
    }
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
            limit = raised;
        }
    }
    return limit.rlim_cur == RLIM_INFINITY ? 1'048'576 : static_cast<std::uint64_t>(limit.rlim_cur);
}

int effective_workers(const config::ServerConfig& server) {
    if (server.worker_threads > 0) {
        return server.worker_threads;
    }
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace

int run_serve(const ServeArgs& args, const char* program) {
    auto loaded = load(args);
    if (report_config_problems(loaded.problems)) {
        return 2;
    }
    config::DescriptorBudget descriptors;
    if (!args.print_config && !args.check_config) {
        // Every connection and every rendition cached in memory holds a descriptor: fit both
        // into the limit, so that accepting never fails with EMFILE.
        descriptors = config::fit_descriptor_budget(raise_descriptor_limit(), loaded.config);
    }
    const config::Config& config = loaded.config;
    if (args.print_config) {
        std::cout << config::print_config(config);
        return 0;
    }
    if (args.check_config) {
        std::cout << "imgline: the configuration is valid\n";
        return 0;
    }
    log::Level level = log::Level::Info;
    log::parse_level(config.server.log_level, level);
    log::set_min_level(level);
    log::write(descriptors.connections_lowered ? log::Level::Warn : log::Level::Info,
               descriptors.connections_lowered
                   ? "the file descriptor limit is too low for server.max_connections; lowered"
                   : "file descriptors shared out",
               {{"limit", descriptors.limit},
                {"max_connections", descriptors.connections},
                {"memory_cache_entries", descriptors.cache_entries}});

    if (auto prepared = storage::prepare_data_dir(config.storage.data_dir); !prepared) {
        std::cerr << "imgline: " << prepared.error().public_message << ": "
                  << prepared.error().detail << "\n";
        return 1;
    }
    auto registry = std::make_shared<prometheus::Registry>();
    auto services =
        app::Services::create(config, *registry, server::http_get,
                              server::pooled_object_http(32, config.storage.s3.ca_file));
    if (!services) {
        std::cerr << "imgline: " << services.error().public_message << ": "
                  << services.error().detail << "\n";
        return 1;
    }
    // The cores are shared among the renders running at once (pipeline::RenderThreads).
    const int workers = effective_workers(config.server);
    const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    if (auto started = pipeline::start_vips(program, cores); !started) {
        std::cerr << "imgline: " << started.error().public_message << ": " << started.error().detail
                  << "\n";
        return 1;
    }

    // Presets, brands and [products] are taken again on SIGHUP and POST /v1/admin/reload.
    server::ConfigReloader reloader(
        config, [&args] { return load(args); }, **services);
    server::Server::Options options{
        config.server,
        config.limits,
        true,
        pipeline::release_thread_resources,
        [&services, &reloader] {
            app::log_carrier_load((*services)->carriers.load());
            reloader.reload();
        },
        config.carriers.trusted_proxies,
        config.storage.data_dir};  // large request bodies are held on the data disk
    auto server = server::Server::create(
        options, [&](server::Server& s) { return reloader.routes(s); }, registry);
    if (!server) {
        std::cerr << "imgline: " << server.error().public_message << "\n";
        pipeline::stop_vips();
        return 1;
    }
    const std::string url = (*server)->url();
    log::info("listening",
              {{"url", url}, {"data_dir", config.storage.data_dir}, {"workers", workers}});
    std::cerr << "imgline: serving on " << url << " (data in " << config.storage.data_dir
              << "; Ctrl-C stops)" << std::endl;
    notify_service_manager("READY=1");  // systemd (Type=notify): listening, lists loaded
    (*server)->run();
    server->reset();
    pipeline::stop_vips();
    log::info("stopped");
    return 0;
}

Command add_serve_command(CLI::App& app, const char* program) {
    auto args = std::make_shared<ServeArgs>();
    auto* command = app.add_subcommand(
        "serve",
        "Run the HTTP server (built-in defaults: port 8080, data in ./data). SIGHUP (systemctl\n"
        "reload) rereads the carrier lists and the configuration's presets, brands and\n"
        "[products]; other settings take effect after a restart.");
    add_config_option(*command, args->config_path);
    command->add_option("--listen", args->listen,
                        "Address and port, e.g. 127.0.0.1:8080 (also IMGLINE_LISTEN)");
    command->add_option("--data", args->data_dir,
                        "Data directory for local storage (also IMGLINE_DATA_DIR)");
    command->add_flag("--print-config", args->print_config,
                      "Print the effective configuration as TOML and exit");
    command->add_flag("--check-config", args->check_config,
                      "Check the configuration, report every problem, and exit");
    return {command, [args, program] { return run_serve(*args, program); }};
}

}  // namespace imgline::cli
