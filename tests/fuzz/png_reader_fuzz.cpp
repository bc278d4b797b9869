// libFuzzer target for the PNG fast path, which parses untrusted uploads without libvips:
//   cmake --preset fuzz && cmake --build --preset fuzz --target fuzz_png_reader
//   build/fuzz/tests/fuzz/fuzz_png_reader -max_total_time=60 tests/data/corpus-hostile
// The first input byte picks the shrink; the chunks' CRCs are made right before reading, so
// that mutations reach the header, filter and deflate handling instead of failing the
// checksum; a result must be self-consistent.
#include "pipeline/png_reader.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <libdeflate.h>
#include <string>
#include <string_view>

namespace {

void fix_crcs(std::string& png) {
    std::size_t at = 8;
    while (at + 12 <= png.size()) {
        const auto* p = reinterpret_cast<const unsigned char*>(png.data() + at);
        const std::size_t length =
            (static_cast<std::size_t>(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
        if (length > png.size() - at - 12) {
            return;
        }
        const std::uint32_t crc = libdeflate_crc32(0, p + 4, length + 4);
        for (int i = 0; i < 4; ++i) {
            png[at + 8 + length + i] = static_cast<char>(crc >> (24 - 8 * i));
        }
        at += 12 + length;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    const int shrink = 1 + data[0] % 9;
    std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    fix_crcs(bytes);
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
