#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace imgline {

/// Whole seconds since the Unix epoch, now: expiry stamps, Last-Modified, signed URLs.
inline std::int64_t unix_seconds_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// Now as RFC 3339 UTC to the second ("2026-12-03T17:43:41Z"): when records and slots changed.
inline std::string rfc3339_now() {
    const auto seconds = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[32];
    std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

}  // namespace imgline
