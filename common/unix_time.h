#pragma once

#include <chrono>
#include <cstdint>

namespace imgline {

/// Whole seconds since the Unix epoch, now: expiry stamps, Last-Modified, signed URLs.
inline std::int64_t unix_seconds_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace imgline
