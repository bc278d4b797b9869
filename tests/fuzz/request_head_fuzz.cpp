// libFuzzer target for a request's head as the server reads it: Beast's parser with the
// server's header limit, then server::read_request_head (target, Transfer-Encoding) and the
// query parser on what it gives, and the repeated-header join. Never a crash, and a GET is
// read as a GET.
#include "server/query.h"
#include "server/request_head.h"
#include "tests/fuzz/fuzz_input.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace imgline::server;
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(64 * 1024);
    parser.eager(true);
    beast::error_code ec;
    parser.put(net::buffer(data, size), ec);
    if (!parser.is_header_done()) {
        return 0;
    }
    const auto& head = parser.get();
    const auto read = read_request_head(head, parser.chunked());
    if (read) {
        (void)parse_query(read->query, {"title", "presets", "carrier", "format"});
        if (read->method == Method::Other && head.method() == http::verb::get) {
            std::abort();
        }
    }
    (void)joined_header(head, "X-Forwarded-For");
    return 0;
}
