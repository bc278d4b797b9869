#pragma once

// Internal to pipeline/ (and bench/brand, which times the halves apart): the two halves of
// measure_brand().
#include "pipeline/brand_measure.h"
#include "pipeline/deadline_guard.h"

#include <vips/vips8>

namespace imgline::pipeline {

/// Decodes to the analysis size (kAnalysisSide, shrink-on-load, upright), 8-bit sRGB, alpha
/// flattened onto the reference background; sets `transparent`. Throws VError.
vips::VImage decode_for_measure(std::string_view bytes,
                                const ImageInfo& info,
                                const MeasureSpec& spec,
                                const DeadlineGuard& guard,
                                bool& transparent);

/// Every pixel measure (border, product box, fill, centring, lightness, highlights,
/// sharpness) on what decode_for_measure() returned. Throws VError.
void measure_pixels(const vips::VImage& image, const MeasureSpec& spec, BrandMeasurements& m);

}  // namespace imgline::pipeline
