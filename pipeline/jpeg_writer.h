#pragma once

// Internal to pipeline/: JPEG encoding with libjpeg-turbo directly, on interleaved 8-bit
// pixels (no libvips here), so that the scan script is ours to choose.
#include "common/expected.h"

#include <cstdint>
#include <span>
#include <string>

namespace imgline::pipeline {

struct JpegSettings {
    int quality = 80;  // 1..100, libjpeg's scale
    /// 4:4:4 (full-resolution colour) instead of 4:2:0.
    bool chroma_full = false;
    /// Progressive, with the scan script below; baseline otherwise. Huffman tables are
    /// optimised either way.
    bool progressive = true;
};

/// Encodes `width` × `height` pixels of `bands` interleaved samples (1 grey, 3 RGB) as a JFIF
/// JPEG with no other metadata. Progressive output uses five scans — DC; luma AC at half
/// precision; each chroma AC; the luma refinement — which is within 1 % of libjpeg's default
/// ten-scan script in size and about 1.4× faster to write (bench/README.md). Internal error
/// when libjpeg refuses (it reports through its own handler, never exiting the process).
Expected<std::string> write_jpeg(std::span<const std::uint8_t> pixels,
                                 int width,
                                 int height,
                                 int bands,
                                 const JpegSettings& settings);

}  // namespace imgline::pipeline
