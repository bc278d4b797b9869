// libFuzzer target for the /t/ grammar (cdn/transform_path, transform_options): the path of
// every signed transform URL after its signature. A parse either refuses, or gives options in
// range whose canonical form (the cache key's part) has its eight fields and no more.
#include "cdn/transform_path.h"
#include "tests/fuzz/fuzz_input.h"

#include <algorithm>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace imgline::cdn;
    const auto parsed = parse_transform_path(imgline::fuzz::as_text(data, size));
    if (!parsed) {
        return 0;
    }
    const auto& options = parsed->options;
    if (options.width > 4096 || options.height > 4096 ||
        (options.width == 0 && options.height == 0) || options.max_kb < 1 ||
        options.max_kb > 10240 || options.quality > 100) {
        std::abort();
    }
    // The canonical form is the cache key's part: eight fields, none of which can carry a
    // separator (two option sets must never write the same key).
    const std::string canonical = options.canonical();
    if (std::count(canonical.begin(), canonical.end(), '/') != 7) {
        std::abort();
    }
    return 0;
}
