#pragma once

#include "common/expected.h"
#include "config/config.h"
#include "pipeline/image_format.h"

#include <string>
#include <string_view>

namespace imgline::pipeline {

/// What the header of an image says, read without decoding any pixels.
struct ImageInfo {
    ImageFormat format = ImageFormat::Jpeg;
    int width = 0;
    int height = 0;  // of one frame
    int frames = 1;  // animation frames or HEIF top-level images
    bool has_alpha = false;
    int orientation = 1;  // EXIF orientation 1..8
    bool has_icc = false;
    /// The embedded profile's description ("" without one or when unreadable).
    std::string icc_description;
    bool is_cmyk = false;
    bool is_grey = false;
};

/// Sniffs the type (415 UnsupportedMediaType outside the allow-list), reads only the header
/// with that type's own loader (422 CorruptImage if it cannot), and refuses images over
/// `limits` before anything is decoded (422 TooManyPixels: max_pixels counts every frame,
/// max_side, max_frames). Thread-safe.
Expected<ImageInfo> probe(std::string_view bytes, const config::LimitsConfig& limits);

/// The limits check alone, on a header already read (pure).
Expected<void> check_limits(const ImageInfo& info, const config::LimitsConfig& limits);

}  // namespace imgline::pipeline
