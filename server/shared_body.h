#pragma once

#include "server/http_types.h"

#include <memory>
#include <string>

namespace imgline::server {

/// A Beast body that sends bytes it shares instead of owning a copy: a cached rendition goes
/// out straight from the cache, however many responses are sending it at once.
struct SharedBody {
    using value_type = std::shared_ptr<const std::string>;

    static std::uint64_t size(const value_type& body) {
        return body ? body->size() : 0;
    }

    class writer {
    public:
        using const_buffers_type = net::const_buffer;

        template <bool IsRequest, class Fields>
        writer(const http::header<IsRequest, Fields>& /*header*/, const value_type& body)
            : body_(body) {}

        void init(beast::error_code& ec) {
            ec = {};
        }

        boost::optional<std::pair<const_buffers_type, bool>> get(beast::error_code& ec) {
            ec = {};
            if (!body_ || body_->empty()) {
                return boost::none;
            }
            return std::pair{net::const_buffer(body_->data(), body_->size()), false};
        }

    private:
        const value_type& body_;
    };
};

}  // namespace imgline::server
