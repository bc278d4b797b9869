#pragma once

// Internal to pipeline/: the encoders, on pixels that are already sRGB, 8-bit, and stripped
// of nothing yet (the savers strip all metadata).
#include "common/expected.h"
#include "pipeline/image_format.h"

#include <string>

#include <vips/vips8>

namespace imgline::pipeline {

struct EncodeSettings {
    ImageFormat format = ImageFormat::Jpeg;
    /// 1..100. For PNG: 100 is lossless truecolour, below 100 a quantised palette of that
    /// quality (libimagequant).
    int quality = 80;
    /// JPEG/AVIF: keep full-resolution colour (4:4:4) instead of 4:2:0.
    bool chroma_full = false;
};

/// Encodes `image` (uchar, 1-4 bands, sRGB) with no metadata. JPEG is progressive above
/// 200×200 with optimised Huffman tables; WebP goes through libwebp directly; AVIF through
/// libheif with AV1. A failure here is on our own pixels, so it is Internal.
Expected<std::string> encode(const vips::VImage& image, const EncodeSettings& settings);

}  // namespace imgline::pipeline
