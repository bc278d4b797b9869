// libFuzzer target for pipeline/resample, which does index arithmetic on every render's pixels:
//   cmake --preset fuzz && cmake --build --preset fuzz --target fuzz_resample
//   build/fuzz/tests/fuzz/fuzz_resample -max_total_time=60
// The first bytes pick the source size, bands, target size, orientation and kept region (any
// of them may be invalid: then the call must refuse with std::invalid_argument); the rest are
// the pixels. A result must have the size asked for, and a flat image must stay flat.
#include "pipeline/resample.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 10) {
        return 0;
    }
    const int width = 1 + data[0] % 80;
    const int height = 1 + data[1] % 80;
    const int bands = 1 + data[2] % 4;
    const int out_width = data[3] % 90;  // 0 and larger than the source are invalid
    const int out_height = data[4] % 90;
    const int orientation = data[5] % 10;  // 0 and 9 are taken as 1
    std::optional<imgline::pipeline::Region> keep;
    if (data[6] & 1) {
        keep =
            imgline::pipeline::Region{data[6] % 7 - 1, data[7] % 7 - 1, data[8] % 90, data[9] % 90};
    }
    const std::size_t samples = static_cast<std::size_t>(width) * height * bands;
    std::vector<std::uint8_t> pixels(samples);
    const bool flat = (size - 10) == 1;
    for (std::size_t i = 0; i < samples; ++i) {
        pixels[i] = size > 10 ? data[10 + i % (size - 10)] : 0;
    }
    try {
        const auto result = imgline::pipeline::resized_upright(
            pixels, width, height, bands, out_width, out_height, orientation, keep);
        const int expect_width = keep ? keep->width : out_width;
        const int expect_height = keep ? keep->height : out_height;
        if (result.width != expect_width || result.height != expect_height ||
            result.bands != bands ||
            result.samples.size() !=
                static_cast<std::size_t>(expect_width) * expect_height * bands) {
            std::abort();
        }
        if (flat && !std::all_of(result.samples.begin(), result.samples.end(),
                                 [&](std::uint8_t sample) { return sample == pixels[0]; })) {
            std::abort();
        }
    } catch (const std::invalid_argument&) {
        // Refused sizes: fine, as long as nothing was read or written out of bounds.
    }
    return 0;
}
