#pragma once

#include "cli/command.h"

#include <optional>
#include <string>
#include <vector>

namespace imgline::cli {

/// What `imgline edge-config` was asked for.
struct EdgeConfigArgs {
    std::string edge;                        // --edge NAME (required)
    std::optional<std::string> dir;          // --dir: write DIR/nginx.conf and make its folders
    std::vector<std::string> origins;        // --origin HOST:PORT, once per origin
    std::optional<std::string> listen;       // --listen ADDR:PORT
    std::vector<std::string> purge_from;     // --purge-from, once per address
    std::string cache_size = "1g";           // --cache-size
    std::optional<std::string> config_path;  // --config / IMGLINE_CONFIG
};

/// Writes the nginx configuration of one configured edge (cdn::nginx_edge_config): to
/// DIR/nginx.conf with DIR/tmp and DIR/cache made, or to standard output for
/// /var/lib/imgline-edge/NAME. Exit 0, 2 for an unknown edge or bad arguments, 1 when the
/// file cannot be written.
int run_edge_config(const EdgeConfigArgs& args);

/// Registers `imgline edge-config` and its flags on `app`.
Command add_edge_config_command(CLI::App& app);

}  // namespace imgline::cli
