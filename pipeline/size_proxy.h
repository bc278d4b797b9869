#pragma once

// Internal to pipeline/: a small stand-in for an image when guessing how big its encodes are.
#include <cstdint>
#include <optional>
#include <vector>

#include <vips/vips8>

namespace imgline::pipeline {

/// Where the proxy's tiles come from: the top-left corners of `columns`×`rows` tiles of `side`
/// px, about one in ten of the image's tiles, spread evenly over it on a diagonal pattern so
/// that no row or column of the picture is favoured. Pure.
struct TileLayout {
    int side = 0;
    int columns = 0;  // tiles per row of the mosaic
    int rows = 0;
    std::vector<std::pair<int, int>> origins;  // (x, y), row by row of the mosaic
    /// The image's area over the tiles' area: the factor from the mosaic's bytes to the image's.
    double area_ratio = 1.0;
};

/// The layout for a `width`×`height` image, or nullopt when the image is too small for a
/// proxy to be cheaper than encoding it whole.
std::optional<TileLayout> proxy_layout(int width, int height);

/// Encoders spend their bytes block by block on local detail, so tiles taken at full
/// resolution from all over an image, joined into one small mosaic, encode to about
/// 1/area_ratio of the image's bytes at every quality — for a tenth of an encode's time.
struct SizeProxy {
    vips::VImage mosaic;
    double area_ratio = 1.0;
};

/// The proxy of `image` (uchar, in memory), or nullopt when it is too small to need one.
/// Throws VError.
std::optional<SizeProxy> make_size_proxy(const vips::VImage& image);

}  // namespace imgline::pipeline
