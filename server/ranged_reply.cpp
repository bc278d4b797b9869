#include "server/ranged_reply.h"

namespace imgline::server {

std::variant<RangeAnswer, Reply> answer_range(const Request& request, std::uint64_t size) {
    RangeAnswer answer;
    const auto ranged = cdn::parse_range(request.header(http::field::range), size, answer.range);
    if (ranged == cdn::RangeResult::Unsatisfiable) {
        Reply refused = Reply::from_error(
            make_error(ErrorCode::RangeNotSatisfiable, "the range is outside the image"),
            request.request_id, 1);
        refused.with_header("Content-Range", "bytes */" + std::to_string(size));
        return refused;
    }
    if (ranged == cdn::RangeResult::Whole) {
        answer.range = cdn::ByteRange{0, size == 0 ? 0 : size - 1};
    }
    answer.status = ranged == cdn::RangeResult::Partial ? 206 : 200;
    answer.length = size == 0 ? 0 : answer.range.last - answer.range.first + 1;
    return answer;
}

void add_range_headers(Reply& reply, const RangeAnswer& answer, std::uint64_t size) {
    if (answer.status == 206) {
        reply.with_header("Content-Range", "bytes " + std::to_string(answer.range.first) + "-" +
                                               std::to_string(answer.range.last) + "/" +
                                               std::to_string(size));
    }
    reply.with_header("Accept-Ranges", "bytes");
}

}  // namespace imgline::server
