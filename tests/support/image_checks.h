#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace imgline::test {

/// What a decoded image looks like, for assertions on properties (never on encoded bytes).
struct Decoded {
    int width = 0;
    int height = 0;
    int bands = 0;
    int pages = 1;
    bool has_exif = false;
    bool has_icc = false;
    bool has_xmp = false;
    std::array<double, 3> mean_rgb{};  // over the sRGB colour bands
};

/// Decodes image bytes with libvips (throws on failure).
Decoded decode(std::string_view bytes);

/// A 64-bit difference hash (dHash) of the picture; similar pictures differ in few bits.
std::uint64_t dhash(std::string_view bytes);

int hamming(std::uint64_t a, std::uint64_t b);

/// Mean absolute difference (0-255) between two pictures, both flattened to sRGB and resized to
/// 64×64, whatever their sizes: near 0 for the same picture, tens for different ones.
double mean_difference(std::string_view a, std::string_view b);

}  // namespace imgline::test
