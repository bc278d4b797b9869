// Connections and cached renditions each hold a file descriptor: the limit is shared out.
#include "config/descriptor_budget.h"

#include <catch2/catch.hpp>

using namespace imgline::config;

TEST_CASE("the descriptor limit is shared between connections and the memory cache",
          "[unit][config][descriptors]") {
    Config roomy = builtin_config();  // max_connections 1024, cache entries 0 (fit)
    const auto wide = fit_descriptor_budget(1'048'576, roomy);
    CHECK(wide.connections == 1024);
    CHECK_FALSE(wide.connections_lowered);
    // A roomy limit: the byte budget decides (256 MiB / 64 KiB), so a warm cache holds a
    // steady number of descriptors.
    CHECK(wide.cache_entries == 4096);
    CHECK(roomy.storage.memory_cache_entries == wide.cache_entries);
    Config bigger = builtin_config();
    bigger.storage.memory_cache_bytes = 1024ULL * 1024 * 1024;
    CHECK(fit_descriptor_budget(1'048'576, bigger).cache_entries == 16384);

    Config typical = builtin_config();
    const auto usual = fit_descriptor_budget(4096, typical);
    CHECK(usual.connections == 1024);
    CHECK(usual.cache_entries == 4096 - 128 - 1024);
    CHECK(usual.connections + usual.cache_entries + kReservedDescriptors <= 4096);

    // ulimit -n 64: connections are lowered, and everything still fits.
    Config tight = builtin_config();
    const auto small = fit_descriptor_budget(64, tight);
    CHECK(small.connections_lowered);
    CHECK(tight.server.max_connections == small.connections);
    CHECK(small.connections >= 1);
    CHECK(small.cache_entries >= 1);
    CHECK(small.connections + small.cache_entries <= 32);

    // An explicit cache size is kept when it fits, and cut when it does not.
    Config asked = builtin_config();
    asked.storage.memory_cache_entries = 500;
    CHECK(fit_descriptor_budget(4096, asked).cache_entries == 500);
    asked.storage.memory_cache_entries = 100'000;
    CHECK(fit_descriptor_budget(4096, asked).cache_entries == 4096 - 128 - 1024);
}
