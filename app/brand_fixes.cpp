#include "app/brand_fixes.h"

#include "app/brand_report.h"
#include "pipeline/brand_judge.h"

#include <algorithm>
#include <set>

namespace imgline::app {
namespace {

// The fixes the stored report marked as applied.
std::set<std::string> promised_fixes(const boost::json::object& report) {
    std::set<std::string> fixes;
    const auto* rules = report.if_contains("rules");
    if (rules == nullptr || !rules->is_array()) {
        return fixes;
    }
    for (const auto& rule : rules->as_array()) {
        const auto* fix = rule.is_object() ? rule.as_object().if_contains("fix") : nullptr;
        if (fix == nullptr || !fix->is_object()) {
            continue;
        }
        const auto* name = fix->as_object().if_contains("name");
        const auto* applied = fix->as_object().if_contains("applied");
        if (name != nullptr && name->is_string() && applied != nullptr && applied->is_bool() &&
            applied->as_bool()) {
            fixes.insert(std::string(name->as_string()));
        }
    }
    return fixes;
}

}  // namespace

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
    const auto fixes = promised_fixes(first->brand_report);
    if (fixes.contains("trim")) {
        plan.fix.trim = product_box_of(first->brand_report);
        plan.fix.margin = rules->margin;
    }
    if (fixes.contains("pad_aspect")) {
        plan.fix.aspect = config::parse_aspect(rules->aspect);
    }
    plan.fix.flatten = fixes.contains("flatten");
}

}  // namespace imgline::app
