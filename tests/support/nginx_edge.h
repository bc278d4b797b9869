#pragma once

#include "tests/support/process.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace imgline::test {

/// A port free on `address` (a 127.0.0.x) right now.
unsigned short free_port(const std::string& address);

/// True when something accepts TCP connections at `address`:`port`.
bool answers(const std::string& address, unsigned short port);

/// A real nginx edge (Debian nginx-light) on its own loopback address, configured by the
/// imgline binary's `edge-config` and run as one process, so stopping it stops the edge.
struct NginxEdge {
    std::string name;
    std::string carrier;
    std::string address;
    unsigned short port = 0;
    std::unique_ptr<ChildProcess> nginx;

    NginxEdge(std::string name, std::string carrier, std::string address);

    std::string base() const {
        return "http://" + address + ":" + std::to_string(port);
    }

    /// Writes its nginx configuration under `folder`/<name> with `imgline edge-config`, reading
    /// `config_file` ([[edges]]), fetching from `origins` (host:port each) and taking purges
    /// from `purge_from` only.
    void configure(const std::filesystem::path& folder,
                   const std::filesystem::path& config_file,
                   const std::vector<std::string>& origins,
                   const std::string& purge_from);

    /// Starts nginx on what configure() wrote in `folder` and waits until it accepts.
    void start(const std::filesystem::path& folder);

    /// SIGKILL: the edge is simply gone (its cache stays on disk).
    void stop() {
        nginx.reset();
    }
};

}  // namespace imgline::test
