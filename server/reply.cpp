#include "server/reply.h"

#include "cdn/cache_policy.h"
#include "common/text.h"

#include <boost/json/serialize.hpp>

namespace imgline::server {

Reply Reply::json(int status, const boost::json::value& body) {
    return Reply{status, "application/json", boost::json::serialize(body), {}, nullptr,
                 {},     FileBody{}};
}

Reply Reply::bytes(int status, std::string content_type, std::string body) {
    return Reply{status, std::move(content_type), std::move(body), {}, nullptr, {}, FileBody{}};
}

Reply Reply::shared(int status, std::string content_type, std::shared_ptr<const std::string> body) {
    return Reply{status, std::move(content_type), {}, {}, std::move(body), {}, FileBody{}};
}

Reply Reply::file(int status, std::string content_type, FileBody body) {
    return Reply{status, std::move(content_type), {}, {}, nullptr, {}, std::move(body)};
}

std::uint64_t Reply::body_size() const {
    if (file_body.file) {
        return file_body.length;
    }
    return shared_body ? shared_body->size() : body.size();
}

Reply Reply::from_error(const Error& error,
                        std::string_view request_id,
                        std::uint64_t retry_after_seconds) {
    Reply reply{http_status(error.code),
                "application/json",
                error_json(error, request_id),
                {},
                nullptr,
                {},
                FileBody{}};
    // A deleted original stays deleted: edges and browsers may remember that for a while.
    reply.with_header("Cache-Control", error.code == ErrorCode::Gone
                                           ? std::string(cdn::kGoneCacheControl)
                                           : std::string("no-store"));
    const bool retry_later = error.code == ErrorCode::Overloaded ||
                             error.code == ErrorCode::Timeout ||
                             error.code == ErrorCode::StorageUnavailable;
    if (retry_later) {
        reply.with_header("Retry-After", std::to_string(retry_after_seconds));
    }
    return reply;
}

Reply& Reply::with_header(std::string_view name, std::string_view value) {
    headers.emplace_back(std::string(name), std::string(value));
    return *this;
}

std::string_view Reply::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (equals_ignoring_case(key, name)) {
            return value;
        }
    }
    return {};
}

}  // namespace imgline::server
