// libFuzzer target for Accept negotiation (cdn::negotiate): the first byte picks which formats
// a preset offers, the rest is the header. The choice must be a format offered, under one of
// the four variants that caches are keyed on.
#include "cdn/negotiate.h"
#include "tests/fuzz/fuzz_input.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using imgline::ImageFormat;
    if (size < 1) {
        return 0;
    }
    std::vector<ImageFormat> offered;
    const ImageFormat all[] = {ImageFormat::Avif, ImageFormat::Webp, ImageFormat::Jpeg,
                               ImageFormat::Png};
    for (int i = 0; i < 4; ++i) {
        if (data[0] & (1 << i)) {
            offered.push_back(all[i]);
        }
    }
    if (offered.empty()) {
        offered.push_back(ImageFormat::Jpeg);
    }
    const auto chosen =
        imgline::cdn::negotiate(imgline::fuzz::as_text(data + 1, size - 1), offered);
    const bool known = chosen.variant == "avif" || chosen.variant == "webp" ||
                       chosen.variant == "png" || chosen.variant == "default";
    if (!known || std::find(offered.begin(), offered.end(), chosen.format) == offered.end()) {
        std::abort();
    }
    return 0;
}
