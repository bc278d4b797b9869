#pragma once

// Internal to pipeline/: the light sharpen applied after a large reduction, in plain
// arithmetic on interleaved 8-bit pixels (no libvips here).
#include <cstdint>
#include <span>

namespace imgline::pipeline {

/// Sharpens the first `colour_bands` bands of an interleaved 8-bit image of `width` × `height`
/// × `bands` samples: each sample gains a third of its difference from the mean of its eight
/// neighbours, i.e. the 3×3 kernel (-1 ×8 around 32) / 24, rounded, clamped to 0..255; edge
/// pixels repeat the border. Other bands (alpha) are copied unchanged. `in` and `out` hold
/// width × height × bands samples each and must not overlap.
void sharpen_3x3(std::span<const std::uint8_t> in,
                 std::span<std::uint8_t> out,
                 int width,
                 int height,
                 int bands,
                 int colour_bands);

}  // namespace imgline::pipeline
