#pragma once

#include "common/expected.h"
#include "server/http_types.h"
#include "server/method.h"

#include <string>
#include <vector>

namespace imgline::server {

/// What the session needs from a request's parsed head before it picks a route.
struct RequestHead {
    Method method = Method::Other;
    /// The path's percent-decoded segments and the raw query string (without '?').
    std::vector<std::string> segments;
    std::string query;
};

/// Checks a parsed request head and takes its target apart: 400 for a target that is not an
/// absolute path, or for a Transfer-Encoding that does not end in chunked (`chunked` is what
/// the parser found), since such a body has no length we can trust and reading on would take
/// its bytes for the next request (RFC 9112 §6.1). Pure.
Expected<RequestHead> read_request_head(const http::request_header<>& head, bool chunked);

/// Every line of a header that may be repeated, joined with ", " as RFC 9110 §5.3 allows
/// (X-Forwarded-For from a chain of proxies may come as several lines).
std::string joined_header(const http::request_header<>& head, std::string_view name);

}  // namespace imgline::server
