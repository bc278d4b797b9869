#pragma once

// Internal to pipeline/: embedded RGB profiles → sRGB with lcms directly, each profile's
// transform built once and kept. libvips 8.14 builds a new lcms transform for every render,
// which is about 5 % of a render from a 12 MP phone photo (bench/README.md).
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

}  // namespace imgline::pipeline
