#include "config/descriptor_budget.h"

#include <algorithm>

namespace imgline::config {

DescriptorBudget fit_descriptor_budget(std::uint64_t limit, Config& config) {
    constexpr std::uint64_t kFewestCacheEntries = 16;
    DescriptorBudget budget;
    budget.limit = limit;
    // A tiny limit (ulimit -n 64) still leaves half for connections and the cache.
    const std::uint64_t spare =
        limit > 2 * kReservedDescriptors ? limit - kReservedDescriptors : limit / 2;
    std::uint64_t connections = config.server.max_connections;
    if (connections + kFewestCacheEntries > spare) {
        connections = spare > 2 * kFewestCacheEntries ? spare - kFewestCacheEntries : spare / 2;
        connections = std::max<std::uint64_t>(connections, 1);
        budget.connections_lowered = true;
    }
    const std::uint64_t room = spare > connections ? spare - connections : 1;
    const std::uint64_t asked = config.storage.memory_cache_entries;
    budget.connections = connections;
    // Left to us, the entries are also bounded by the byte budget at kCacheBytesPerEntry each,
    // so a warm cache holds a steady number of descriptors rather than as many as fit.
    const std::uint64_t by_bytes =
        std::max<std::uint64_t>(config.storage.memory_cache_bytes / kCacheBytesPerEntry, 1);
    budget.cache_entries = asked == 0 ? std::min(room, by_bytes) : std::min(asked, room);
    config.server.max_connections = connections;
    config.storage.memory_cache_entries = budget.cache_entries;
    return budget;
}

}  // namespace imgline::config
