#include "app/brand_fixes.h"

#include "pipeline/brand_judge.h"

#include <algorithm>

namespace imgline::app {

bool is_image_role(std::string_view role) {
    return std::find(std::begin(config::kImageRoles), std::end(config::kImageRoles), role) !=
           std::end(config::kImageRoles);
}

const config::BrandConfig& brand_of_owner(const config::Config& config, std::string_view owner) {
    const auto party = std::find_if(config.parties.begin(), config.parties.end(),
                                    [&](const auto& candidate) { return candidate.name == owner; });
    const config::BrandConfig* brand =
        config::find_brand(config, party == config.parties.end() ? "" : party->brand);
    return brand != nullptr ? *brand : *config::find_brand(config, "");
}

void apply_brand(pipeline::RenderPlan& plan,
                 const config::Config& config,
                 const std::vector<storage::OriginalRecord>& records) {
    if (records.empty()) {
        return;
    }
    const auto first =
        std::min_element(records.begin(), records.end(), [](const auto& left, const auto& right) {
            return std::tie(left.created_at, left.owner) < std::tie(right.created_at, right.owner);
        });
    const config::BrandConfig& brand = brand_of_owner(config, first->owner);
    if (const auto background = config::parse_rgb(brand.background)) {
        plan.background = *background;
    }
    const config::BrandRules* rules =
        pipeline::rules_for(brand, first->role.empty() ? kDefaultRole : first->role);
    if (rules == nullptr) {
        return;
    }
    const storage::PromisedFixes& fixes = first->fixes;
    if (fixes.trim && fixes.product_box) {
        const auto& [left, top, width, height] = *fixes.product_box;
        plan.fix.trim = pipeline::ShareBox{left, top, width, height};
        plan.fix.margin = rules->margin;
    }
    if (fixes.pad_aspect) {
        plan.fix.aspect = config::parse_aspect(rules->aspect);
    }
    plan.fix.flatten = fixes.flatten;
}

}  // namespace imgline::app
