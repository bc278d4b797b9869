#pragma once

#include "cdn/cache_policy.h"
#include "server/reply.h"
#include "server/request.h"

#include <cstdint>
#include <variant>

namespace imgline::server {

/// The part of a body a request's Range header asks for: the whole (200) or one part (206).
struct RangeAnswer {
    int status = 200;
    cdn::ByteRange range;
    std::uint64_t length = 0;
};

/// What `request`'s Range header asks of a body of `size` bytes, or the 416 reply (with its
/// Content-Range) when the range lies outside it.
std::variant<RangeAnswer, Reply> answer_range(const Request& request, std::uint64_t size);

/// Adds Content-Range (for a 206) and Accept-Ranges to `reply`.
void add_range_headers(Reply& reply, const RangeAnswer& answer, std::uint64_t size);

}  // namespace imgline::server
