#include "server/http_response.h"

namespace imgline::server {

http::response<SharedBody> to_http_response(Reply reply, const ResponseFraming& framing) {
    http::response<SharedBody> response{static_cast<http::status>(reply.status), framing.version};
    response.set(http::field::server, "imgline");
    if (!reply.content_type.empty()) {
        response.set(http::field::content_type, reply.content_type);
    }
    for (auto& [name, value] : reply.headers) {
        response.set(name, value);
    }
    response.set("X-Request-Id", framing.request_id);
    response.set("X-Content-Type-Options", "nosniff");
    response.keep_alive(framing.keep_alive);
    const auto length = reply.body_size();
    // A file body is not Beast's to send: the session sends it after this header.
    if (!framing.head_only && !reply.file_body.file) {
        response.body() = reply.shared_body
                              ? std::move(reply.shared_body)
                              : std::make_shared<const std::string>(std::move(reply.body));
    }
    // Set after the body so HEAD keeps the length of the body it would have had.
    response.content_length(length);
    return response;
}

}  // namespace imgline::server
