#pragma once

// Internal to pipeline/: the encode loop around QualitySearch.
#include <optional>

#include <vips/vips8>

#include "common/expected.h"
#include "pipeline/deadline_guard.h"
#include "pipeline/render_plan.h"
#include "pipeline/rendition.h"

namespace imgline::pipeline {

/// Encodes `image` in `format` at the highest quality whose size is within `budget`, in few
/// encodes (QualitySearch, starting from `learned_quality` when one is known). If even
/// quality_min does not fit, shrinks the image by about (budget/bytes)^0.6 and encodes again,
/// and if that is still over, shrinks once more with the size rate it just measured; the result
/// says whether the budget was met. PNG tries lossless first, then a palette.
/// JPEG/AVIF at quality ≥ 90 also try 4:4:4 chroma and keep it when it still fits.
Expected<Rendition> encode_under_budget(const vips::VImage& image, ImageFormat format,
                                        const Budget& budget, std::optional<int> learned_quality,
                                        const DeadlineGuard& guard);

}  // namespace imgline::pipeline
