#pragma once

#include "common/deadline.h"
#include "common/expected.h"
#include "config/config.h"
#include "pipeline/render_plan.h"
#include "pipeline/rendition.h"

#include <optional>
#include <string_view>

namespace imgline::pipeline {

/// The whole pipeline for one original and one plan: probe (type allow-list and limits from
/// the header) → pass the original through, stripped, when it already is what the plan asks
/// for → else decode with shrink-on-load → upright → sRGB → geometry → encode under the byte
/// budget. Everything past `deadline` is cancelled (503 Timeout). Errors: 415 for a type
/// outside the allow-list, 422 for undecodable or oversized images, 422 when the budget cannot
/// be met and the plan refuses unmet budgets, 400 for a format this server cannot write.
/// Thread-safe; call from worker threads.
Expected<Rendition> render(std::string_view original,
                           const RenderPlan& plan,
                           const config::LimitsConfig& limits,
                           const Deadline& deadline,
                           std::optional<LearnedQuality> learned = std::nullopt);

}  // namespace imgline::pipeline
