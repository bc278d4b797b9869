#pragma once

#include "common/deadline.h"
#include "common/expected.h"
#include "pipeline/probe.h"
#include "pipeline/render_plan.h"

#include <optional>
#include <string>
#include <string_view>

namespace imgline::pipeline {

/// The mezzanine of a large original: an upright sRGB copy with its long side at `max_side`,
/// metadata stripped, encoded to decode fast and lose little (baseline JPEG at quality 95 with
/// full-resolution colour; PNG where the original has transparency). Renders that need no more
/// pixels than it holds start from it instead of decoding the original again (see `covers`).
/// nullopt when the original's long side is already within `max_side` (nothing to save) or
/// `max_side` is 0. Errors as transform's (undecodable 422, past the deadline 503).
Expected<std::optional<std::string>> make_mezzanine(std::string_view original,
                                                    const ImageInfo& info,
                                                    int max_side,
                                                    const Deadline& deadline);

/// True when an upright source of `source` pixels holds every pixel `plan` needs: rendering
/// from it enlarges nothing (a brand trim counts the part it keeps). Pure.
bool covers(Size source, const RenderPlan& plan);

}  // namespace imgline::pipeline
