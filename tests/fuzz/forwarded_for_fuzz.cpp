// libFuzzer target for X-Forwarded-For (cdn::viewer_address): the first line is the socket
// peer, the rest the header; 127.0.0.0/8 and 10.0.0.0/8 are trusted proxies. The viewer is the
// peer when the peer is not trusted, and never a trusted proxy unless every hop is one.
#include "cdn/viewer_address.h"
#include "tests/fuzz/fuzz_input.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace imgline::cdn;
    static const AddressSet trusted({"127.0.0.0/8", "10.0.0.0/8", "::1"});
    const auto [peer, forwarded] =
        imgline::fuzz::split_first_line(imgline::fuzz::as_text(data, size));
    const auto viewer = viewer_address(peer, forwarded, trusted);
    const auto peer_address = parse_ip(peer);
    if (viewer.has_value() != peer_address.has_value()) {
        std::abort();
    }
    if (peer_address && !trusted.contains(*peer_address) &&
        (viewer->v6 != peer_address->v6 || viewer->value != peer_address->value)) {
        std::abort();
    }
    return 0;
}
