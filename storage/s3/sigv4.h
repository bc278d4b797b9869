#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace imgline::storage::s3 {

/// An S3 request as Signature Version 4 sees it. `path` is the object path as stored
/// ("/bucket/key with spaces"); it is URI-encoded here (S3 encodes each path byte once, '/'
/// kept). `query` pairs are unencoded. `headers` are the ones to sign besides host,
/// x-amz-date and x-amz-content-sha256 (names in any case).
struct SignRequest {
    std::string method;
    std::string host;  // "127.0.0.1:8080" or "bucket.s3.amazonaws.com"
    std::string path;
    std::vector<std::pair<std::string, std::string>> query;
    std::vector<std::pair<std::string, std::string>> headers;
    /// Hex SHA-256 of the body, or "UNSIGNED-PAYLOAD".
    std::string payload_sha256;
};

struct Credentials {
    std::string access_key_id;
    std::string secret_access_key;
    std::string region;
    std::string service = "s3";
};

/// What signing gives: the headers to send (x-amz-date, x-amz-content-sha256, Authorization),
/// and the intermediate strings, which servers echo back when they disagree.
struct Signature {
    std::string amz_date;  // "20130524T000000Z"
    std::string authorization;
    std::string canonical_request;
    std::string string_to_sign;
    std::string signature;  // hex
};

/// Signs `request` at `amz_date` ("YYYYMMDDTHHMMSSZ", UTC), as the AWS documentation's
/// "Signature Calculations for the Authorization Header" describes. Pure.
Signature sign_v4(const SignRequest& request,
                  const Credentials& credentials,
                  std::string_view amz_date);

/// `text` percent-encoded as SigV4 wants: unreserved characters (A-Z a-z 0-9 - _ . ~) kept,
/// '/' kept when `keep_slash`, every other byte %XX in upper-case hex.
std::string uri_encode(std::string_view text, bool keep_slash);

/// The query string in canonical form: pairs encoded, sorted by name then value, joined.
std::string canonical_query(std::vector<std::pair<std::string, std::string>> query);

/// "YYYYMMDDTHHMMSSZ" for a Unix time.
std::string amz_date_of(long long unix_seconds);

}  // namespace imgline::storage::s3
