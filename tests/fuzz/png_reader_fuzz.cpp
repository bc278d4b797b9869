// libFuzzer target for the PNG fast path, which parses untrusted uploads without libvips:
//   cmake --preset fuzz && cmake --build --preset fuzz --target fuzz_png_reader
//   build/fuzz/tests/fuzz/fuzz_png_reader -max_total_time=60 ../shared/corpus-hostile
// The first input byte picks the shrink; a result must be self-consistent.
#include "pipeline/png_reader.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    const int shrink = 1 + data[0] % 9;
    const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    // A small row budget keeps the fuzzer fast and exercises the refusal too.
    const auto pixels = imgline::pipeline::read_png(bytes, shrink, 16 * 1024 * 1024);
    if (pixels) {
        const auto expected = static_cast<std::size_t>(pixels->width) * pixels->height *
                              static_cast<std::size_t>(pixels->bands);
        if (pixels->width <= 0 || pixels->height <= 0 || pixels->bands < 1 || pixels->bands > 4 ||
            pixels->samples.size() != expected) {
            std::abort();
        }
    }
    return 0;
}
