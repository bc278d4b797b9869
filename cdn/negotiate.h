#pragma once

#include "common/image_format.h"

#include <string>
#include <string_view>
#include <vector>

namespace imgline::cdn {

/// The format chosen for a negotiated rendition (/i/{id}/{preset} without an extension).
struct Negotiated {
    /// AVIF, WebP, JPEG or PNG.
    ImageFormat format = ImageFormat::Jpeg;
    /// The Accept class the choice came from: "avif", "webp", "png" or "default". Every Accept
    /// string collapses into one of these four, so caches keyed on it hold at most 4 variants.
    std::string variant;
};

/// Chooses among `offered` (the preset's formats, best first; only those the server can write)
/// by the client's Accept header: AVIF when accepted and offered, else WebP, else the preset's
/// first of JPEG/PNG. `image/*` and `*/*` accept JPEG and PNG only — browsers that can decode
/// AVIF or WebP say so explicitly. Pure.
Negotiated negotiate(std::string_view accept, const std::vector<ImageFormat>& offered);

}  // namespace imgline::cdn
