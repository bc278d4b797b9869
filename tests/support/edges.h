#pragma once

#include "config/config.h"

#include <cstdint>
#include <string>

namespace imgline::test {

/// An [[edges]] entry for tests: name, carrier line, base URL (default http://NAME) and weight.
inline config::EdgeConfig make_edge(std::string name,
                                    std::string carrier,
                                    std::string base_url = "",
                                    std::uint64_t weight = 100) {
    config::EdgeConfig edge;
    edge.base_url = base_url.empty() ? "http://" + name : std::move(base_url);
    edge.name = std::move(name);
    edge.carrier = std::move(carrier);
    edge.weight = weight;
    return edge;
}

}  // namespace imgline::test
