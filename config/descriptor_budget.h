#pragma once

#include "config/config.h"

#include <cstdint>

namespace imgline::config {

/// How the server's file descriptors are shared out (see fit_descriptor_budget).
struct DescriptorBudget {
    std::uint64_t limit = 0;          // RLIMIT_NOFILE
    std::uint64_t connections = 0;    // server.max_connections as applied
    std::uint64_t cache_entries = 0;  // storage.memory_cache_entries as applied
    bool connections_lowered = false;
};

/// Descriptors kept aside for everything but connections and cached renditions: the listener,
/// epoll, log and data files, libvips, edge health checks and purges, and the connections a full
/// server still accepts to answer /healthz and /readyz (server.health_connections).
inline constexpr std::uint64_t kReservedDescriptors = 128;

/// What storage.memory_cache_entries 0 allows per entry of storage.memory_cache_bytes: renditions
/// are at most about 200 KB, thumbnails a tenth of that, so 256 MiB makes 4096 entries.
inline constexpr std::uint64_t kCacheBytesPerEntry = 64 * 1024;

/// Fits the configuration into `limit` descriptors: each connection and each rendition in the
/// memory cache holds one, and kReservedDescriptors are kept aside. storage.memory_cache_entries
/// 0 becomes memory_cache_bytes / kCacheBytesPerEntry, or what the connections leave if that
/// is less; an explicit count is cut to what they leave. When the limit cannot hold
/// server.max_connections and a few cache entries, max_connections is lowered. Pure.
DescriptorBudget fit_descriptor_budget(std::uint64_t limit, Config& config);

}  // namespace imgline::config
