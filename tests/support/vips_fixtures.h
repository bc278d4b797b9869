#pragma once

// Test fixtures made with libvips directly (tests may use it; the product keeps it in
// pipeline/).
#include <string>

#include <vips/vips8>

namespace imgline::test {

/// The bytes of a libvips save result (unreferences the blob).
std::string take_blob(VipsBlob* blob);

/// JPEG at `quality`; `keep_metadata` keeps EXIF and orientation like a camera would.
std::string jpeg_of(const vips::VImage& image, int quality = 92, bool keep_metadata = false);

std::string png_of(const vips::VImage& image);

}  // namespace imgline::test
