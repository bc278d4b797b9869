#pragma once

#include "pipeline/image_format.h"

#include <string>
#include <vector>

namespace imgline::pipeline {

/// What the installed libvips/libheif can actually do, found out at start-up by trying it
/// (never assumed): HEIC and AVIF decoding, AVIF encoding with AV1.
struct Capabilities {
    bool heif_read = false;
    bool avif_read = false;
    bool avif_write = false;
};

/// Detected by start_vips(); all false before it.
const Capabilities& capabilities();

/// Runs the detection (called once by start_vips).
void detect_capabilities();

bool can_read(ImageFormat format);
bool can_write(ImageFormat format);

/// The formats this build reads / writes, as found by detect_capabilities().
std::vector<ImageFormat> readable_formats();
std::vector<ImageFormat> writable_formats();

/// "read: jpeg png webp gif heif avif; write: jpeg webp png avif" for --version and /readyz.
std::string describe_formats();

}  // namespace imgline::pipeline
