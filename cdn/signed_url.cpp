#include "cdn/signed_url.h"

#include "common/sha256.h"

#include <array>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace imgline::cdn {

std::string base64url(const unsigned char* data, std::size_t length) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (std::size_t i = 0; i < length; ++i) {
        buffer = (buffer << 8) | data[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(kAlphabet[(buffer >> bits) & 0x3F]);
        }
    }
    if (bits > 0) {
        out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3F]);
    }
    return out;
}

namespace {

std::string mac(std::string_view path, std::string_view secret) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(path.data()), path.size(), digest.data(), &length);
    return base64url(digest.data(), length);
}

}  // namespace

std::vector<SigningKey> parse_signing_keys(const std::vector<std::string>& entries) {
    std::vector<SigningKey> keys;
    for (const auto& entry : entries) {
        const auto colon = entry.find(':');
        if (colon != std::string::npos && colon > 0 && colon + 1 < entry.size()) {
            keys.push_back({entry.substr(0, colon), entry.substr(colon + 1)});
        }
    }
    return keys;
}

std::string sign_path(std::string_view path, const SigningKey& key) {
    return key.id + "." + mac(path, key.secret);
}

Expected<void> verify_path(std::string_view signature,
                           std::string_view path,
                           const std::vector<SigningKey>& keys) {
    const auto dot = signature.find('.');
    if (dot == std::string_view::npos) {
        return fail(ErrorCode::BadSignature, "the signature is not <key id>.<mac>");
    }
    const std::string_view id = signature.substr(0, dot);
    for (const auto& key : keys) {
        if (key.id == id) {
            if (constant_time_equal(signature.substr(dot + 1), mac(path, key.secret))) {
                return {};
            }
            return fail(ErrorCode::BadSignature, "the signature does not match this address");
        }
    }
    return fail(ErrorCode::BadSignature, "the signature names a key this server does not know");
}

}  // namespace imgline::cdn
