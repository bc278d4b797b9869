#pragma once

#include "server/http_types.h"
#include "server/reply.h"
#include "server/shared_body.h"

#include <string_view>

namespace imgline::server {

/// How a reply is sent on this connection.
struct ResponseFraming {
    unsigned version = 11;   // HTTP/1.x of the request
    bool keep_alive = true;  // false adds Connection: close
    bool head_only = false;  // HEAD: headers and Content-Length, no body
    std::string_view request_id;
};

/// Turns a handler's Reply into the wire response, adding what every response carries:
/// X-Request-Id, X-Content-Type-Options: nosniff, Content-Length, and the keep-alive framing.
/// A reply's file body is left out of the response (its Content-Length is set): the session
/// sends it itself.
http::response<SharedBody> to_http_response(Reply reply, const ResponseFraming& framing);

}  // namespace imgline::server
