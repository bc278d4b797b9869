#pragma once

#include "pipeline/image_format.h"

#include <string>
#include <string_view>

namespace imgline::pipeline {

/// The settings an earlier render of the same rendition ended with: starting there, a
/// re-render usually takes one encode.
struct LearnedQuality {
    int quality = 0;
    bool chroma_full = false;
};

/// A finished rendition and how it was reached. Handlers and the CLI see this, never libvips.
struct Rendition {
    std::string bytes;
    ImageFormat format = ImageFormat::Jpeg;
    int width = 0;
    int height = 0;
    /// The encoder quality used (PNG: 100 = lossless, below = palette quality).
    int quality = 0;
    /// Encodes it took (the budget search and any fallback).
    int encodes = 0;
    /// Encodes of the size proxy (a mosaic of tiles, about a tenth of the image's pixels) spent
    /// on the first guess of the quality; not counted in `encodes`.
    int proxy_encodes = 0;
    /// bytes.size() <= the plan's max_bytes. Never silently false: callers report it.
    bool budget_met = false;
    /// JPEG/AVIF with 4:4:4 chroma (chosen when the budget allowed it at high quality).
    bool chroma_full = false;
    /// The original's own bytes, metadata stripped, not re-encoded (quality is then 0 and
    /// encodes 0): it already was what the plan asked for.
    bool passthrough = false;
    /// How the source was decoded and resized (pipeline::route_name), "passthrough" when it
    /// was not: a label on the render metric.
    std::string_view decode_route = "passthrough";
    /// The dimensions were reduced below the plan's because even the lowest quality did not
    /// fit.
    bool shrunk = false;
};

}  // namespace imgline::pipeline
