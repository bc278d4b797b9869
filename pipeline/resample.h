#pragma once

// Internal to pipeline/: the resize of a decoded photo to its rendition size, turned upright,
// in plain arithmetic on interleaved 8-bit pixels (no libvips here). libvips 8.14 resizes
// 8-bit pixels horizontally one sample at a time; here both directions run as a vertical pass
// over whole rows (16 samples per instruction) with a transpose between, and the EXIF
// orientation folds into the last copy.
#include "pipeline/decoded_pixels.h"

#include <cstdint>
#include <optional>
#include <span>

namespace imgline::pipeline {

/// A rectangle of an image: its top-left corner and size, in pixels.
struct Region {
    int left = 0;
    int top = 0;
    int width = 0;
    int height = 0;
};

/// `in` (`width` × `height` pixels of `bands` interleaved 8-bit samples, as stored in the file)
/// resized with a Lanczos-3 kernel stretched over the reduction (as libvips' reduce) and turned
/// upright for EXIF `orientation` (1-8; anything else is taken as 1): the result is
/// `out_width` × `out_height` upright pixels. Each pass rounds to 8 bits, as libvips' does.
/// With `keep`, only that part of the upright result is returned (a crop to the box).
/// For reductions only: each side of the result, taken back to the stored orientation, must be
/// at most the source's; `keep` must lie inside it. Every band is resized alike, so alpha must
/// be premultiplied first. Throws std::invalid_argument when the sizes do not fit.
DecodedPixels resized_upright(std::span<const std::uint8_t> in,
                              int width,
                              int height,
                              int bands,
                              int out_width,
                              int out_height,
                              int orientation,
                              std::optional<Region> keep = std::nullopt);

}  // namespace imgline::pipeline
