#include "storage/s3/sigv4.h"

#include "common/sha256.h"
#include "common/text.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace imgline::storage::s3 {
namespace {

std::string hmac_sha256(std::string_view key, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
    return std::string(reinterpret_cast<const char*>(out), length);
}

// Header values are trimmed and inner runs of spaces folded to one.
std::string folded(std::string_view value) {
    std::string out;
    bool space = false;
    for (const char c : value) {
        if (c == ' ' || c == '\t') {
            space = !out.empty();
            continue;
        }
        if (space) {
            out += ' ';
            space = false;
        }
        out += c;
    }
    return out;
}

bool unreserved(unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~';
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const unsigned char c : text) {
        if (unreserved(c) || (keep_slash && c == '/')) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kDigits[c >> 4];
            out += kDigits[c & 0x0f];
        }
    }
    return out;
}

std::string canonical_query(std::vector<std::pair<std::string, std::string>> query) {
    for (auto& [name, value] : query) {
        name = uri_encode(name, false);
        value = uri_encode(value, false);
    }
    std::sort(query.begin(), query.end());
    std::string out;
    for (const auto& [name, value] : query) {
        if (!out.empty()) {
            out += '&';
        }
        out += name + "=" + value;
    }
    return out;
}

std::string amz_date_of(long long unix_seconds) {
    const std::time_t time = static_cast<std::time_t>(unix_seconds);
    std::tm utc{};
    gmtime_r(&time, &utc);
    char text[20];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
    return text;
}

Signature sign_v4(const SignRequest& request,
                  const Credentials& credentials,
                  std::string_view amz_date) {
    std::vector<std::pair<std::string, std::string>> headers;
    headers.emplace_back("host", request.host);
    headers.emplace_back("x-amz-content-sha256", request.payload_sha256);
    headers.emplace_back("x-amz-date", std::string(amz_date));
    for (const auto& [name, value] : request.headers) {
        headers.emplace_back(lower(name), folded(value));
    }
    std::sort(headers.begin(), headers.end());

    std::string canonical_headers;
    std::string signed_headers;
    for (const auto& [name, value] : headers) {
        canonical_headers += name + ":" + value + "\n";
        signed_headers += (signed_headers.empty() ? "" : ";") + name;
    }

    Signature signature;
    signature.amz_date = std::string(amz_date);
    signature.canonical_request = request.method + "\n" + uri_encode(request.path, true) + "\n" +
                                  canonical_query(request.query) + "\n" + canonical_headers + "\n" +
                                  signed_headers + "\n" + request.payload_sha256;
    const std::string day(amz_date.substr(0, 8));
    const std::string scope =
        day + "/" + credentials.region + "/" + credentials.service + "/aws4_request";
    signature.string_to_sign = "AWS4-HMAC-SHA256\n" + signature.amz_date + "\n" + scope + "\n" +
                               sha256_hex(signature.canonical_request);
    std::string key = hmac_sha256("AWS4" + credentials.secret_access_key, day);
    key = hmac_sha256(key, credentials.region);
    key = hmac_sha256(key, credentials.service);
    key = hmac_sha256(key, "aws4_request");
    signature.signature = hex_lower(hmac_sha256(key, signature.string_to_sign));
    signature.authorization = "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" +
                              scope + ", SignedHeaders=" + signed_headers +
                              ", Signature=" + signature.signature;
    return signature;
}

}  // namespace imgline::storage::s3
