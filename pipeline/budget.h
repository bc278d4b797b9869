#pragma once

// Internal to pipeline/: the encode loop around QualitySearch.
#include "common/expected.h"
#include "pipeline/deadline_guard.h"
#include "pipeline/render_plan.h"
#include "pipeline/rendition.h"

#include <optional>

#include <vips/vips8>

namespace imgline::pipeline {

/// How busy a picture is: the mean absolute difference between neighbouring pixels (grey,
/// 0-255) on a box-shrunk copy about 256 px wide. Encoded size grows with it (see SizeModel).
/// Throws VError.
double complexity_of(const vips::VImage& image);

/// Encodes `image` in `format` at the highest quality whose size is within `budget`, in few
/// encodes (QualitySearch), starting where a short search on the image's SizeProxy (up to 4
/// encodes of a mosaic a tenth its size) says the budget is reached; small images start from
/// the size model and complexity_of. With a `learned` result of an earlier render it encodes
/// with those settings first and keeps them when they fit (one encode); otherwise it searches.
/// If even quality_min does not fit, shrinks the image by about (budget/bytes)^0.6 and encodes
/// again, and if that is still over, shrinks once more with the size rate it just measured; the
/// result says whether the budget was met. PNG cut-outs (with alpha) try lossless first, then a
/// palette.
/// JPEG/AVIF weigh 4:4:4 chroma against 4:2:0 instead of switching at quality 90 as libvips
/// does: when the proxy expects 4:4:4 at the top quality to fit, that is tried first, and a
/// search that ends at quality ≥ 90 with room to spare tries it at that quality; it is kept
/// only when it fits. At most 4 encodes, plus up to 2 for the shrink fallback.
Expected<Rendition> encode_under_budget(const vips::VImage& image,
                                        ImageFormat format,
                                        const Budget& budget,
                                        std::optional<LearnedQuality> learned,
                                        const DeadlineGuard& guard);

}  // namespace imgline::pipeline
