#include "cli/edge_config_command.h"

#include "cdn/edge_config.h"
#include "cli/configuration.h"
#include "config/load_config.h"
#include "config/units.h"

#include <filesystem>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>
#include <boost/url/parse.hpp>

namespace imgline::cli {
namespace {

namespace fs = std::filesystem;

// host:port of the origin, as edges reach it: public_base_url, else server.listen (a wildcard
// address becomes 127.0.0.1, for an edge on the same machine).
std::string default_origin(const config::Config& config) {
    if (!config.server.public_base_url.empty()) {
        const auto url = boost::urls::parse_uri(config.server.public_base_url);
        if (url) {
            return std::string(url->encoded_host()) + ":" +
                   (url->has_port() ? std::string(url->port()) : std::string("80"));
        }
    }
    const auto listen = config::parse_listen(config.server.listen);
    return listen ? config::reachable_address(*listen) : "127.0.0.1:8080";
}

// Where the edge listens: its base_url's address when that is an IP literal, else every
// address on the base_url's port.
std::string default_listen(const config::EdgeConfig& edge) {
    const auto url = boost::urls::parse_uri(edge.base_url);
    if (!url) {
        return "0.0.0.0:80";
    }
    const std::string port = url->has_port()            ? std::string(url->port())
                             : url->scheme() == "https" ? std::string("443")
                                                        : std::string("80");
    const auto kind = url->host_type();
    const bool literal =
        kind == boost::urls::host_type::ipv4 || kind == boost::urls::host_type::ipv6;
    return (literal ? std::string(url->encoded_host()) : std::string("0.0.0.0")) + ":" + port;
}

}  // namespace

int run_edge_config(const EdgeConfigArgs& args) {
    const auto loaded = load_configuration(args.config_path);
    if (report_config_problems(loaded.problems)) {
        return 2;
    }
    const auto& edges = loaded.config.edges;
    const auto edge = std::find_if(edges.begin(), edges.end(), [&](const auto& candidate) {
        return candidate.name == args.edge;
    });
    if (edge == edges.end()) {
        std::cerr << "imgline: no edge is named '" << args.edge << "' in the configuration\n";
        return 2;
    }
    cdn::EdgeSetup setup;
    setup.origins = args.origins;
    if (setup.origins.empty()) {
        setup.origins.push_back(default_origin(loaded.config));
    }
    setup.directory = args.dir ? fs::absolute(*args.dir).lexically_normal().string()
                               : "/var/lib/imgline-edge/" + edge->name;
    while (setup.directory.size() > 1 && setup.directory.ends_with('/')) {
        setup.directory.pop_back();
    }
    setup.listen = args.listen.value_or(default_listen(*edge));
    if (!args.purge_from.empty()) {
        setup.purge_from = args.purge_from;
    }
    setup.cache_size = args.cache_size;
    const auto text = cdn::nginx_edge_config(*edge, setup);
    if (!text) {
        std::cerr << "imgline: " << text.error().public_message << "\n";
        return 2;
    }
    if (!args.dir) {
        std::cout << *text;
        return 0;
    }
    std::error_code ec;
    for (const char* sub : {"tmp", "cache"}) {
        fs::create_directories(fs::path(setup.directory) / sub, ec);
    }
    const fs::path file = fs::path(setup.directory) / "nginx.conf";
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << *text;
    out.close();
    if (ec || !out) {
        std::cerr << "imgline: cannot write " << file.string() << "\n";
        return 1;
    }
    std::cerr << "imgline: wrote " << file.string() << "; start it with: nginx -p "
              << setup.directory << " -c " << file.string() << "\n";
    return 0;
}

Command add_edge_config_command(CLI::App& app) {
    auto args = std::make_shared<EdgeConfigArgs>();
    auto* command = app.add_subcommand(
        "edge-config",
        "Write the nginx configuration of one configured edge: its own proxy_cache, one origin\n"
        "fetch per image (from one origin or several), stale-while-down, revalidation, purges\n"
        "from the origins, and secure_link checks when the edge wants signed URLs.");
    command->add_option("--edge", args->edge, "Edge name from [[edges]]")->required();
    command->add_option("--dir", args->dir,
                        "Write DIR/nginx.conf and make DIR/tmp and DIR/cache (default: print it)");
    command->add_option("--origin", args->origins,
                        "Origin HOST:PORT; give it once per origin when several share one object\n"
                        "store (default: from server.public_base_url or server.listen)");
    command->add_option("--listen", args->listen,
                        "ADDR:PORT to listen on (default: from the edge's base_url)");
    command->add_option("--purge-from", args->purge_from,
                        "Address or CIDR allowed to purge; once per origin address\n"
                        "(default: 127.0.0.1)");
    command->add_option("--cache-size", args->cache_size, "Largest cache on disk (default: 1g)");
    add_config_option(*command, args->config_path);
    return {command, [args] { return run_edge_config(*args); }};
}

}  // namespace imgline::cli
