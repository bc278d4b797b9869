#include "server/request_head.h"

#include <boost/url/parse.hpp>

namespace imgline::server {

Expected<RequestHead> read_request_head(const http::request_header<>& head, bool chunked) {
    auto target = boost::urls::parse_origin_form(head.target());
    if (!target) {
        return fail(ErrorCode::BadRequest, "the request target is not a valid path");
    }
    if (head.find(http::field::transfer_encoding) != head.end() && !chunked) {
        return fail(ErrorCode::BadRequest, "Transfer-Encoding must end in chunked (RFC 9112 §6.1)");
    }
    RequestHead read;
    read.method = parse_method(head.method_string());
    for (auto segment : target->segments()) {
        read.segments.push_back(std::move(segment));
    }
    read.query = std::string(target->encoded_query());
    return read;
}

std::string joined_header(const http::request_header<>& head, std::string_view name) {
    std::string joined;
    for (auto [line, end] = head.equal_range(name); line != end; ++line) {
        if (!joined.empty()) {
            joined += ", ";
        }
        joined += line->value();
    }
    return joined;
}

}  // namespace imgline::server
