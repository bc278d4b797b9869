#pragma once

#include "common/deadline.h"
#include "common/expected.h"
#include "config/units.h"
#include "pipeline/probe.h"
#include "pipeline/render_plan.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imgline::pipeline {

/// What brand rules are judged on: measured once per upload, plain numbers afterwards.
struct BrandMeasurements {
    std::string format;  // "jpeg", "png", ...
    std::uint64_t bytes = 0;
    int width = 0;  // upright (EXIF orientation applied)
    int height = 0;
    bool transparent = false;  // some pixel is not fully opaque
    /// "sRGB", "grey", "CMYK" or the embedded profile's description.
    std::string colour_space;
    bool is_srgb = true;
    /// Whether the border and product were measured against a reference background.
    bool against_background = false;
    /// Mean colour of the border ring, and the share of it within ΔE of the reference.
    config::Rgb border_colour{255, 255, 255};
    double border_match = 0.0;
    /// The bounding box of the pixels that differ from the background (the whole image when
    /// there is no reference background).
    bool product_found = false;
    ShareBox product;
    /// The larger of the product's width and height shares of the frame.
    double fill = 0.0;
    /// How far the product's centre is from the image centre, as a share of the side (the
    /// larger of the two directions).
    double centre_offset = 0.0;
    /// Variance of the Laplacian of the luminance over the product, at the analysis size.
    double sharpness = 0.0;
    /// Mean CIELAB L* (0..100) of the product's pixels.
    double lightness = 0.0;
    /// Share of the product's pixels that are blown out (every channel ≥ 250).
    double clipped = 0.0;
    /// The analysis size (the image scaled to kAnalysisSide on its long side, never up).
    int analysed_width = 0;
    int analysed_height = 0;
};

/// The long side at which everything but size and format is measured.
inline constexpr int kAnalysisSide = 1024;

/// The reference the border and product are told apart by: the rule's background colour and
/// the colour distance (CIELAB ΔE76) that still counts as background. Without a background,
/// the whole image is the product.
struct MeasureSpec {
    std::optional<config::Rgb> background;
    double delta_e = 6.0;
};

/// Measures an image (already probed) for brand rules on a downscale to kAnalysisSide with
/// shrink-on-load, upright, in sRGB, transparency flattened onto the reference background.
/// 422 CorruptImage when the pixels cannot be decoded, 503 Timeout past `deadline`.
/// Thread-safe.
Expected<BrandMeasurements> measure_brand(std::string_view bytes,
                                          const ImageInfo& info,
                                          const MeasureSpec& spec,
                                          const Deadline& deadline);

}  // namespace imgline::pipeline
