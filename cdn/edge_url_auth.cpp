#include "cdn/edge_url_auth.h"

#include "cdn/signed_url.h"
#include "common/sha256.h"

#include <array>
#include <charconv>
#include <optional>

#include <openssl/evp.h>

namespace imgline::cdn {
namespace {

std::array<unsigned char, 16> md5(std::string_view text) {
    std::array<unsigned char, 16> digest{};
    unsigned int length = 0;
    EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_md5(), nullptr);
    return digest;
}

std::string hex(const std::array<unsigned char, 16>& digest) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char byte : digest) {
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 0xf]);
    }
    return out;
}

std::optional<std::int64_t> parse_seconds(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty() || value < 0) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::string alibaba_a_hash(std::string_view uri,
                           std::string_view timestamp,
                           std::string_view rand,
                           std::string_view uid,
                           std::string_view key) {
    std::string text;
    text.append(uri).append("-").append(timestamp).append("-").append(rand).append("-");
    text.append(uid).append("-").append(key);
    return hex(md5(text));
}

std::string alibaba_a_query(std::string_view uri,
                            std::int64_t timestamp,
                            std::string_view rand,
                            std::string_view key) {
    const std::string stamp = std::to_string(timestamp);
    return "auth_key=" + stamp + "-" + std::string(rand) + "-0-" +
           alibaba_a_hash(uri, stamp, rand, "0", key);
}

UrlAuthResult verify_alibaba_a(std::string_view uri,
                               std::string_view auth_key,
                               std::string_view key,
                               std::int64_t now,
                               std::int64_t validity) {
    // TIMESTAMP-RAND-UID-HASH; rand holds no '-'.
    std::array<std::string_view, 4> parts;
    for (std::size_t i = 0; i < 3; ++i) {
        const auto dash = auth_key.find('-');
        if (dash == std::string_view::npos) {
            return UrlAuthResult::Invalid;
        }
        parts[i] = auth_key.substr(0, dash);
        auth_key.remove_prefix(dash + 1);
    }
    parts[3] = auth_key;
    const auto timestamp = parse_seconds(parts[0]);
    if (!timestamp || parts[3].size() != 32) {
        return UrlAuthResult::Invalid;
    }
    if (!constant_time_equal(alibaba_a_hash(uri, parts[0], parts[1], parts[2], key), parts[3])) {
        return UrlAuthResult::Invalid;
    }
    return now > *timestamp + validity ? UrlAuthResult::Expired : UrlAuthResult::Valid;
}

std::string nginx_secure_link_hash(std::string_view uri,
                                   std::int64_t expires,
                                   std::string_view key,
                                   std::string_view client) {
    std::string text = std::to_string(expires);
    text.append(uri).append(client).append(" ").append(key);
    const auto digest = md5(text);
    return base64url(digest.data(), digest.size());
}

std::string nginx_secure_link_query(std::string_view uri,
                                    std::int64_t expires,
                                    std::string_view key) {
    return "md5=" + nginx_secure_link_hash(uri, expires, key) +
           "&expires=" + std::to_string(expires);
}

UrlAuthResult verify_nginx_secure_link(std::string_view uri,
                                       std::string_view md5_value,
                                       std::string_view expires,
                                       std::string_view key,
                                       std::int64_t now) {
    const auto when = parse_seconds(expires);
    if (!when || !constant_time_equal(nginx_secure_link_hash(uri, *when, key), md5_value)) {
        return UrlAuthResult::Invalid;
    }
    return now > *when ? UrlAuthResult::Expired : UrlAuthResult::Valid;
}

}  // namespace imgline::cdn
