// libFuzzer target for the Range header (cdn::parse_range): the first 8 bytes are the body's
// length, the rest the header. A partial range must lie inside the body.
#include "cdn/cache_policy.h"
#include "tests/fuzz/fuzz_input.h"

#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 8) {
        return 0;
    }
    std::uint64_t length = 0;
    std::memcpy(&length, data, 8);
    length %= 1ULL << 40;
    imgline::cdn::ByteRange range;
    const auto result =
        imgline::cdn::parse_range(imgline::fuzz::as_text(data + 8, size - 8), length, range);
    if (result == imgline::cdn::RangeResult::Partial &&
        (range.first > range.last || range.last >= length)) {
        std::abort();
    }
    return 0;
}
