#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace imgline::config {

/// The 1-based line of the first byte outside ASCII that stands outside a string and a
/// comment, or nullopt. TOML 1.0 allows none there, and Debian's toml++ 3.3.0 reaches
/// undefined behaviour on some (U+00A1..U+0499 among them: found by the config fuzz target),
/// so such text is refused before toml++ reads it. A leading UTF-8 byte order mark is allowed.
/// Pure.
std::optional<std::size_t> stray_non_ascii_line(std::string_view toml);

}  // namespace imgline::config
