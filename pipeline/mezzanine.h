#pragma once

#include "common/deadline.h"
#include "common/expected.h"
#include "pipeline/probe.h"
#include "pipeline/render_plan.h"

#include <string>
#include <string_view>
#include <vector>

namespace imgline::pipeline {

/// One mezzanine: an upright sRGB copy of an original with its long side at `side`.
struct Mezzanine {
    int side = 0;
    std::string bytes;
};

/// The long sides of the mezzanines kept for `max_side`, largest first: `max_side` and half of
/// it (a render starts from the smallest one that holds every pixel it needs). Empty for 0.
std::vector<int> mezzanine_sides(int max_side);

/// The mezzanines of a large original, largest first: for each of mezzanine_sides(max_side)
/// below the original's long side, the photo upright, in sRGB, metadata stripped, encoded to
/// decode fast and lose little (baseline JPEG at quality 95 with full-resolution colour; PNG
/// where the original has transparency). Renders start from them instead of decoding the
/// original again (see `covers`). Empty when the original is no larger than the smallest side.
/// Errors as transform's (undecodable 422, past the deadline 503).
Expected<std::vector<Mezzanine>> make_mezzanines(std::string_view original,
                                                 const ImageInfo& info,
                                                 int max_side,
                                                 const Deadline& deadline);

/// True when an upright source of `source` pixels holds every pixel `plan` needs: rendering
/// from it enlarges nothing (a brand trim counts the part it keeps). Pure.
bool covers(Size source, const RenderPlan& plan);

}  // namespace imgline::pipeline
