#pragma once

#include "config/config.h"
#include "pipeline/brand_measure.h"

#include <string>
#include <vector>

namespace imgline::pipeline {

enum class Verdict { Pass, Warn, Fail };

std::string_view verdict_name(Verdict verdict);

/// One brand rule's outcome: what was measured, what the rule asks, and what a supplier can do.
struct RuleResult {
    std::string rule;  // one of config::kBrandRuleNames
    Verdict verdict = Verdict::Pass;
    std::string measured;
    std::string threshold;
    /// A plain sentence for the supplier.
    std::string message;
    /// The mechanical fix for a rule that did not pass ("" when there is none), and whether
    /// the brand applies it to renditions.
    std::string fix;
    bool fix_applied = false;
};

/// Every configured rule of a brand's role, judged.
struct BrandReport {
    std::string brand;
    std::string role;
    std::vector<RuleResult> rules;
    /// The worst verdict of any rule (Pass when the role has no rules).
    Verdict verdict = Verdict::Pass;
    /// A fail-rule failed and the brand refuses such uploads.
    bool blocked = false;
    BrandMeasurements measurements;

    /// The role's framing rules, for drawing over the photo: the share of the frame the product
    /// should fill, how far its centre may stray, and the margin the trim fix leaves (all 0..1).
    struct Guides {
        double fill_min = 0.0;
        double fill_max = 1.0;
        double centre_tolerance = 1.0;
        double margin = 0.0;
    } guides;
};

/// The reference background the measure needs for `rules`: the rule's background, else the
/// brand's when fill or centring is checked, else none (pure).
MeasureSpec measure_spec_for(const config::BrandConfig& brand, const config::BrandRules& rules);

/// The rules of `role` in `brand` (nullptr when the brand has none for it).
const config::BrandRules* rules_for(const config::BrandConfig& brand, std::string_view role);

/// Judges measurements against `role`'s rules (pure). A failed rule is Fail unless it is
/// listed in warn_only; the report is blocked when anything fails and the brand blocks.
BrandReport judge(const BrandMeasurements& measurements,
                  const config::BrandConfig& brand,
                  std::string_view role);

}  // namespace imgline::pipeline
