#pragma once

#include "config/config.h"
#include "pipeline/render_plan.h"
#include "storage/original_record.h"

#include <vector>

namespace imgline::app {

/// For a preset with brand_fixes: sets the plan's background to the brand's and adds the fixes
/// the original's upload report promised (rules that did not pass and whose fix the brand
/// applies), with today's parameters (margin, aspect) of the brand's rules for its role. The
/// brand is that of the original's first owner (earliest record), so one id renders one way.
/// Pure; a record without a report gets only the background.
void apply_brand(pipeline::RenderPlan& plan,
                 const config::Config& config,
                 const std::vector<storage::OriginalRecord>& records);

/// The role an upload is checked as when it names none.
inline constexpr std::string_view kDefaultRole = "main";

/// True for one of config::kImageRoles.
bool is_image_role(std::string_view role);

/// What a client is told when it names another role.
inline constexpr std::string_view kRoleHint =
    "role must be one of main, detail, size_chart, ad, other";

/// The brand an owner's uploads are checked against (the built-in default for an owner no
/// longer configured).
const config::BrandConfig& brand_of_owner(const config::Config& config, std::string_view owner);

}  // namespace imgline::app
