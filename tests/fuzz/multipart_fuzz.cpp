// libFuzzer target for multipart/form-data (server::parse_multipart): the first line is the
// Content-Type, the rest the body. Every part found must lie inside the body.
#include "server/multipart.h"
#include "tests/fuzz/fuzz_input.h"

#include <cstdlib>
#include <functional>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto [content_type, body] =
        imgline::fuzz::split_first_line(imgline::fuzz::as_text(data, size));
    const auto boundary = imgline::server::multipart_boundary(content_type);
    const auto parts = imgline::server::parse_multipart(body, boundary.empty() ? "b" : boundary);
    if (!parts) {
        return 0;
    }
    const std::less<const char*> before;
    for (const auto& part : *parts) {
        if (before(part.body.data(), body.data()) ||
            before(body.data() + body.size(), part.body.data() + part.body.size())) {
            std::abort();
        }
    }
    return 0;
}
