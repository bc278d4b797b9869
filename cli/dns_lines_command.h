#pragma once

#include "cli/command.h"

#include <optional>
#include <string>

namespace imgline::cli {

/// What `imgline dns-lines` was asked for.
struct DnsLinesArgs {
    std::string name;                        // --name img.example.com (required)
    std::optional<std::string> bind_dir;     // --bind DIR: write named.conf.imgline and zones
    std::optional<std::string> config_path;  // --config / IMGLINE_CONFIG
};

/// Prints the per-line records (默认/电信/联通/移动/…) for line-aware DNS as a table, and with
/// --bind writes a BIND view configuration (carrier ACLs from the carrier lists) and one zone
/// file per line. Exit 0, 2 for bad arguments or configuration, 1 when files cannot be written.
int run_dns_lines(const DnsLinesArgs& args);

/// Registers `imgline dns-lines` and its flags on `app`.
Command add_dns_lines_command(CLI::App& app);

}  // namespace imgline::cli
