#pragma once

// Internal to pipeline/: embedded RGB profiles → sRGB, each profile's conversion built once and
// kept. libvips 8.14 builds a new lcms transform for every render (about 12 ms of CPU for an
// 800 px image, bench/colour). A matrix-shaper profile (phones, cameras, Display P3, Adobe RGB)
// converts through its own curves and matrix, three to four times faster than lcms' kept 3D
// table; any other RGB profile through the lcms transform.
#include <cstdint>
#include <span>
#include <string_view>

namespace imgline::pipeline {

/// Converts `width` × `height` interleaved 8-bit pixels of `bands` samples (3 RGB, 4 RGBA;
/// alpha is copied) from `profile` to sRGB, relative colorimetric, as libvips' own transform
/// does, writing them to `out` (which may be `in`). False, with `out` untouched, when the
/// profile is not an RGB profile lcms can use, `bands` is not 3 or 4, or a span's size does not
/// match: the caller converts another way. Thread-safe.
bool convert_to_srgb(std::span<const std::uint8_t> in,
                     std::span<std::uint8_t> out,
                     int width,
                     int height,
                     int bands,
                     std::string_view profile);

/// Whether `profile` is an ICC profile lcms reads as a grey (one-channel) profile.
bool is_grey_profile(std::string_view profile);

}  // namespace imgline::pipeline
