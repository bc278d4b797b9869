#pragma once

#include "common/expected.h"
#include "config/config.h"
#include "storage/s3/object_http.h"
#include "storage/s3/sigv4.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace imgline::storage::s3 {

/// What the client reports of each request to the store, for metrics: the operation ("put",
/// "get", "head", "delete", "list", "multipart"), how it ended ("ok", "not_found",
/// "error", "unreachable") and how long it took, retries included.
using StoreObserver =
    std::function<void(std::string_view operation, std::string_view result, double seconds)>;

/// One page of keys under a prefix (the prefix given to list() left off).
struct KeyPage {
    std::vector<std::string> keys;
    /// Where the next page starts (continuation token); empty on the last page.
    std::string next;
};

/// An S3 bucket spoken to with Signature V4 over `http` (storage::s3::ObjectHttp): objects put,
/// read, checked, deleted and listed under the configured prefix. Requests that time out or get
/// a 5xx are tried again (storage.s3.retries) after growing, jittered waits; others are not.
/// Bodies are signed by their SHA-256 and sent with Content-MD5, so the store refuses one that
/// arrives changed; objects above multipart_threshold go up in parts, and a failed multipart
/// upload is aborted. Thread-safe (the transport must be too).
class S3Client {
public:
    S3Client(config::S3Config settings, ObjectHttp http, StoreObserver observe = {});

    /// Stores `bytes` at `key`, whole or not at all.
    Expected<void> put(std::string_view key, std::string_view bytes);
    /// The object's bytes; NotFound when there is none.
    Expected<std::string> get(std::string_view key) const;
    /// Whether the object exists.
    Expected<bool> exists(std::string_view key) const;
    /// Deletes the object; deleting one that is not there succeeds.
    Expected<void> remove(std::string_view key);
    /// Keys under `prefix`, after `start_after` (a whole key, prefix included), in key order;
    /// `next` from a previous page continues it.
    Expected<KeyPage> list(std::string_view prefix,
                           std::string_view start_after = {},
                           std::size_t max_keys = 1000,
                           std::string_view next = {}) const;
    /// Every key under `prefix` after `start_after`, all pages read.
    Expected<std::vector<std::string>> list_all(std::string_view prefix,
                                                std::string_view start_after = {}) const;
    /// Creates the bucket (the tests' stores start empty); an existing one is fine.
    Expected<void> create_bucket();

    const config::S3Config& settings() const {
        return settings_;
    }

private:
    struct Call {
        std::string method;
        std::string key;  // under the prefix; empty for the bucket itself
        std::vector<std::pair<std::string, std::string>> query;
        std::string_view body;
        HeaderList headers;
    };

    // One request, signed, with the retry policy; the final response or why there is none.
    Expected<ObjectResponse> perform(const Call& call, std::string_view operation) const;
    Expected<ObjectResponse> send_once(const Call& call) const;
    Expected<void> put_in_parts(std::string_view key, std::string_view bytes);

    config::S3Config settings_;
    ObjectHttp http_;
    StoreObserver observe_;
    Credentials credentials_;
    std::string host_;     // Host header
    std::string address_;  // where to connect
    std::string port_;
    bool tls_ = false;
};

/// The texts of every <name>…</name> element in an S3 XML answer, entities decoded. Pure.
std::vector<std::string> xml_values(std::string_view xml, std::string_view name);

}  // namespace imgline::storage::s3
