#pragma once

#include "common/error.h"
#include "storage/sealed_bytes.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace imgline::server {

/// Part of a sealed memory file, as a response body: sent with sendfile(2), without a copy.
struct FileBody {
    std::shared_ptr<const storage::SealedBytes> file;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

/// What a handler answers, before it becomes an HTTP response: status, type, body and any
/// extra headers. Transport-free, so handlers and their tests never touch Beast.
struct Reply {
    int status = 200;
    std::string content_type;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    /// Bytes shared with a cache, sent without a copy; when set, `body` is unused.
    std::shared_ptr<const std::string> shared_body;
    /// Extra fields for this request's log line (never sent to the client).
    boost::json::object log_fields;
    /// A body in a sealed memory file; when its file is set, `body` and `shared_body` are
    /// unused.
    FileBody file_body;

    /// A JSON body (Content-Type: application/json).
    static Reply json(int status, const boost::json::value& body);

    /// Any other body.
    static Reply bytes(int status, std::string content_type, std::string body);

    /// A body shared with its owner (a cache), sent without copying it.
    static Reply shared(int status,
                        std::string content_type,
                        std::shared_ptr<const std::string> body);

    /// A body sent from a sealed memory file with sendfile(2).
    static Reply file(int status, std::string content_type, FileBody body);

    /// The body's length in bytes, wherever it is held.
    std::uint64_t body_size() const;

    /// The JSON error body for `error`, `Cache-Control: no-store`, and `Retry-After` when the
    /// client should simply try again later (overloaded, timeout, storage unavailable).
    static Reply from_error(const Error& error,
                            std::string_view request_id,
                            std::uint64_t retry_after_seconds);

    /// Adds a header; a later one of the same name replaces an earlier one on the wire.
    Reply& with_header(std::string_view name, std::string_view value);

    /// The value of an extra header, or empty.
    std::string_view header(std::string_view name) const;
};

}  // namespace imgline::server
