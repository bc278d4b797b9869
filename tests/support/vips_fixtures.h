#pragma once

// Test fixtures made with libvips directly (tests may use it; the product keeps it in
// pipeline/).
#include <array>
#include <string>
#include <vector>

#include <vips/vips8>

namespace imgline::test {

/// The bytes of a libvips save result (unreferences the blob).
std::string take_blob(VipsBlob* blob);

/// JPEG at `quality`; `keep_metadata` keeps EXIF and orientation like a camera would.
std::string jpeg_of(const vips::VImage& image, int quality = 92, bool keep_metadata = false);

std::string png_of(const vips::VImage& image);

/// A product shot with known geometry: a `width`×`height` canvas of `background` (r, g, b)
/// with a textured mid-grey square of `side` pixels at (x, y).
vips::VImage product_shot(int width,
                          int height,
                          int side,
                          int x,
                          int y,
                          std::array<double, 3> background = {255.0, 255.0, 255.0});

/// `count` small JPEGs that all differ (noise of a different strength each), so every one has
/// an id of its own.
std::vector<std::string> distinct_photos(int count);

}  // namespace imgline::test
