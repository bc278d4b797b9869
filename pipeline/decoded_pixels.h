#pragma once

// Internal to pipeline/: 8-bit pixels held outside libvips — what png_reader decodes, and what
// the kept colour transform writes.
#include <cstdint>
#include <string>
#include <vector>

namespace imgline::pipeline {

/// Decoded pixels, interleaved 8-bit, `bands` per pixel (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA).
struct DecodedPixels {
    int width = 0;
    int height = 0;
    int bands = 0;
    std::vector<std::uint8_t> samples;
    /// The embedded ICC profile, uncompressed; empty when there is none.
    std::string icc_profile;
};

}  // namespace imgline::pipeline
