#include "pipeline/sharpen.h"

#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

using imgline::pipeline::sharpen_3x3;

namespace {

std::vector<std::uint8_t> sharpen(
    const std::vector<std::uint8_t>& in, int width, int height, int bands, int colour_bands) {
    std::vector<std::uint8_t> out(in.size(), 0);
    sharpen_3x3(in, out, width, height, bands, colour_bands);
    return out;
}

}  // namespace

TEST_CASE("a flat image is left as it is, edges included", "[sharpen]") {
    const std::vector<std::uint8_t> flat(5 * 4 * 3, 137);
    CHECK(sharpen(flat, 5, 4, 3, 3) == flat);
}

TEST_CASE("a bright dot gains a third of its difference and its neighbours lose", "[sharpen]") {
    // 5x5 grey, one band, 100 everywhere and 160 in the middle.
    std::vector<std::uint8_t> in(25, 100);
    in[12] = 160;
    const auto out = sharpen(in, 5, 5, 1, 1);
    // Centre: (32·160 − 8·100) / 24 = 180. A neighbour: (32·100 − 7·100 − 160) / 24 = 97.5 → 98.
    CHECK(out[12] == 180);
    CHECK(out[7] == 98);
    CHECK(out[11] == 98);
    CHECK(out[18] == 98);
    // Two pixels away nothing changes.
    CHECK(out[0] == 100);
    CHECK(out[10] == 100);
}

TEST_CASE("results clamp to 0..255", "[sharpen]") {
    std::vector<std::uint8_t> in(9, 0);
    in[4] = 255;
    const auto out = sharpen(in, 3, 3, 1, 1);
    CHECK(out[4] == 255);  // 32·255/24 = 340 → 255
    in.assign(9, 255);
    in[4] = 0;
    CHECK(sharpen(in, 3, 3, 1, 1)[4] == 0);  // −8·255/24 → 0
}

TEST_CASE("alpha is copied and colour bands do not mix", "[sharpen]") {
    // 3x3 RGBA: red varies in the middle only; green flat; alpha a gradient.
    std::vector<std::uint8_t> in;
    for (int i = 0; i < 9; ++i) {
        in.insert(in.end(), {static_cast<std::uint8_t>(i == 4 ? 200 : 50), 90, 10,
                             static_cast<std::uint8_t>(i * 20)});
    }
    const auto out = sharpen(in, 3, 3, 4, 3);
    CHECK(out[4 * 4 + 0] == 250);  // (32·200 − 8·50) / 24
    CHECK(out[4 * 4 + 1] == 90);
    CHECK(out[4 * 4 + 2] == 10);
    for (int i = 0; i < 9; ++i) {
        CHECK(out[i * 4 + 3] == in[i * 4 + 3]);
    }
}

TEST_CASE("edge pixels repeat the border, one-pixel images survive", "[sharpen]") {
    // A 3x1 row 10, 100, 10: the left pixel's neighbours are itself (x3 above/at/below: left
    // column repeats) and the middle one (x3).
    const std::vector<std::uint8_t> row{10, 100, 10};
    const auto out = sharpen(row, 3, 1, 1, 1);
    // Left: 32·10 − (5·10 + 3·100) = −30 → (−30 + 12) / 24 rounds to −1 → 0.
    CHECK(out[0] == 0);
    CHECK(out[2] == 0);
    // Middle: 32·100 − (6·10 + 2·100) = 2940 → 122.5 → 123.
    CHECK(out[1] == 123);
    const std::vector<std::uint8_t> one{77};
    CHECK(sharpen(one, 1, 1, 1, 1) == one);
}

TEST_CASE("buffers too small for the geometry are left untouched", "[sharpen]") {
    const std::vector<std::uint8_t> in(10, 1);
    CHECK(sharpen(in, 4, 4, 1, 1) == std::vector<std::uint8_t>(10, 0));
}
