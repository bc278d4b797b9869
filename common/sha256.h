#pragma once

#include <string>
#include <string_view>

namespace imgline {

/// Lower-case hex SHA-256 of `bytes` (64 characters). Uses OpenSSL.
std::string sha256_hex(std::string_view bytes);

/// `bytes` as lower-case hex, two digits a byte (digests, signatures).
std::string hex_lower(std::string_view bytes);

/// True when `text` is exactly 64 lower- or upper-case hex digits.
bool is_sha256_hex(std::string_view text);

/// Compares two strings in time independent of where they differ (for secrets).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace imgline
