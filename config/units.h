#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imgline::config {

/// "10s", "250ms", "2m", "1h" or a bare number of seconds → milliseconds; nullopt if malformed
/// or negative.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

/// "25MiB", "200KiB", "200KB" (1000), "1GB" or a bare number of bytes; nullopt if malformed.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

/// A plain unsigned decimal; nullopt if malformed or out of range.
std::optional<std::uint64_t> parse_unsigned(std::string_view text);

/// "true/false", "yes/no", "on/off", "1/0".
std::optional<bool> parse_bool(std::string_view text);

/// A decimal number such as "0.02".
std::optional<double> parse_number(std::string_view text);

/// Durations and sizes written back the way an operator would type them ("10s", "25MiB").
std::string format_duration(std::chrono::milliseconds value);
std::string format_byte_size(std::uint64_t bytes);

/// "HOST:PORT" or "[V6]:PORT".
struct ListenAddress {
    std::string host;
    std::uint16_t port = 0;
};

std::optional<ListenAddress> parse_listen(std::string_view text);

/// "host:port" at which a listen address is reached from the same machine: a wildcard
/// (0.0.0.0, ::) becomes 127.0.0.1, and an IPv6 host is bracketed.
std::string reachable_address(const ListenAddress& listen);

/// "#rrggbb" or "rrggbb".
struct Rgb {
    std::uint8_t r = 0;
    std::uint8_t g = 0;
    std::uint8_t b = 0;
};

std::optional<Rgb> parse_rgb(std::string_view text);

/// "#rrggbb", lower case.
std::string format_rgb(Rgb colour);

/// "4:3" → 1.333…; nullopt unless both sides are positive numbers.
std::optional<double> parse_aspect(std::string_view text);

}  // namespace imgline::config
