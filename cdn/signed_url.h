#pragma once

#include "common/expected.h"

#include <string>
#include <string_view>
#include <vector>

namespace imgline::cdn {

/// Base64 with the URL-safe alphabet (RFC 4648 §5), no padding.
std::string base64url(const unsigned char* data, std::size_t length);

/// A signing key: `id` travels in the URL (so keys can rotate: several are accepted at once),
/// `secret` never does.
struct SigningKey {
    std::string id;
    std::string secret;
};

/// Parses "id:secret" entries (the config's signing.keys); a malformed entry is skipped and
/// reported by validation.
std::vector<SigningKey> parse_signing_keys(const std::vector<std::string>& entries);

/// "<key id>.<base64url HMAC-SHA256 of `path` with the key's secret>". `path` is everything
/// after the signature segment, starting with '/'.
std::string sign_path(std::string_view path, const SigningKey& key);

/// Checks `signature` (as sign_path makes it) against `path` with whichever key its id names,
/// comparing in constant time. 403 BadSignature for an unknown key id or a wrong signature.
Expected<void> verify_path(std::string_view signature,
                           std::string_view path,
                           const std::vector<SigningKey>& keys);

}  // namespace imgline::cdn
