#include "pipeline/brand_judge.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace imgline::pipeline {
namespace {

using config::BrandConfig;
using config::BrandRules;

std::string percent(double share) {
    return fmt::format("{:.0f}%", share * 100.0);
}

std::string megabytes(std::uint64_t bytes) {
    return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6);
}

bool listed(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

bool checks_product(const BrandRules& rules) {
    return rules.fill_min > 0.0 || rules.fill_max < 1.0 || rules.centre_tolerance < 1.0;
}

// Collects the results of one role's rules, applying warn_only and the fixes the brand lists.
class Verdicts {
public:
    explicit Verdicts(const BrandRules& rules) : rules_(rules) {}

    void add(std::string rule,
             bool passed,
             std::string measured,
             std::string threshold,
             std::string message,
             std::string fix = "") {
        RuleResult result;
        result.verdict = passed                           ? Verdict::Pass
                         : listed(rules_.warn_only, rule) ? Verdict::Warn
                                                          : Verdict::Fail;
        result.rule = std::move(rule);
        result.measured = std::move(measured);
        result.threshold = std::move(threshold);
        result.message = std::move(message);
        if (!passed && !fix.empty()) {
            // Conversion to sRGB happens on every render; the others only where listed.
            result.fix_applied = fix == "convert_to_srgb" || listed(rules_.fixes, fix);
            result.fix = std::move(fix);
        }
        results_.push_back(std::move(result));
    }

    std::vector<RuleResult> take() {
        return std::move(results_);
    }

private:
    const BrandRules& rules_;
    std::vector<RuleResult> results_;
};

void judge_size(Verdicts& out, const BrandMeasurements& m, const BrandRules& rules) {
    if (rules.min_width == 0 && rules.min_height == 0) {
        return;
    }
    const bool passed = static_cast<std::uint64_t>(m.width) >= rules.min_width &&
                        static_cast<std::uint64_t>(m.height) >= rules.min_height;
    const std::string measured = fmt::format("{}×{} px", m.width, m.height);
    const std::string wanted = fmt::format("at least {}×{} px", rules.min_width, rules.min_height);
    out.add("min_size", passed, measured, wanted,
            passed ? "The photo is large enough."
                   : "The photo is " + measured + "; it needs to be " + wanted +
                         ". Upload a larger original.");
}

void judge_aspect(Verdicts& out, const BrandMeasurements& m, const BrandRules& rules) {
    const auto wanted = config::parse_aspect(rules.aspect);
    if (!wanted || m.height == 0) {
        return;
    }
    const double actual = static_cast<double>(m.width) / m.height;
    const double deviation = std::abs(actual / *wanted - 1.0);
    const bool passed = deviation <= rules.aspect_tolerance;
    out.add("aspect", passed, fmt::format("{:.3f} (width/height)", actual),
            fmt::format("{} within {}", rules.aspect, percent(rules.aspect_tolerance)),
            passed ? "The photo has the right shape."
                   : fmt::format("The photo's shape is {:.2f}:1; this role needs {} (within {}). "
                                 "Crop it, or let imgline pad it on the brand background.",
                                 actual, rules.aspect, percent(rules.aspect_tolerance)),
            "pad_aspect");
}

void judge_background(Verdicts& out, const BrandMeasurements& m, const BrandRules& rules) {
    if (rules.background.empty()) {
        return;
    }
    const bool passed = m.border_match >= rules.border_match_min;
    const std::string edge = config::format_rgb(m.border_colour);
    out.add("background", passed, percent(m.border_match) + " of the edge (mostly " + edge + ")",
            fmt::format("at least {} within ΔE {:g} of {}", percent(rules.border_match_min),
                        rules.background_delta_e, rules.background),
            passed ? "The background is the brand colour."
                   : fmt::format("Only {} of the photo's edge is the brand background {}; at "
                                 "least {} should be. The edge is mostly {}. Shoot on {} or use "
                                 "a cut-out with a transparent background.",
                                 percent(m.border_match), rules.background,
                                 percent(rules.border_match_min), edge, rules.background));
}

void judge_fill(Verdicts& out, const BrandMeasurements& m, const BrandRules& rules) {
    if (rules.fill_min <= 0.0 && rules.fill_max >= 1.0) {
        return;
    }
    const bool passed = m.product_found && m.fill >= rules.fill_min && m.fill <= rules.fill_max;
    const std::string wanted = percent(rules.fill_min) + "–" + percent(rules.fill_max);
    std::string message = "The product fills the frame well.";
    if (!m.product_found) {
        message = "No product stands out from the background.";
    } else if (!passed) {
        message = fmt::format("The product spans {} of the frame; it should span {}. {}",
                              percent(m.fill), wanted,
                              m.fill < rules.fill_min ? "Move closer or crop tighter."
                                                      : "Leave more space around it.");
    }
    out.add("fill", passed, m.product_found ? percent(m.fill) : "no product", wanted, message,
            m.product_found ? "trim" : "");
}

void judge_centre(Verdicts& out, const BrandMeasurements& m, const BrandRules& rules) {
    if (rules.centre_tolerance >= 1.0) {
        return;
    }
    const bool passed = m.product_found && m.centre_offset <= rules.centre_tolerance;
    const std::string wanted = "at most " + percent(rules.centre_tolerance) + " off centre";
    out.add("centre", passed,
            m.product_found ? percent(m.centre_offset) + " off centre" : "no product", wanted,
            passed ? "The product is centred."
            : m.product_found
                ? "The product sits " + percent(m.centre_offset) +
                      " of the frame away from the middle; at most " +
                      percent(rules.centre_tolerance) + " is allowed. Centre it when cropping."
                : "No product stands out from the background, so its position is unknown.",
            m.product_found ? "trim" : "");
}

void judge_sharpness(Verdicts& out, const BrandMeasurements& m, const BrandRules& rules) {
    if (rules.sharpness_min <= 0.0) {
        return;
    }
    const bool passed = m.sharpness >= rules.sharpness_min;
    out.add("sharpness", passed, fmt::format("{:.1f}", m.sharpness),
            fmt::format("at least {:g}", rules.sharpness_min),
            passed ? "The photo is sharp."
                   : fmt::format("The photo looks soft (sharpness {:.1f}, at least {:g} wanted). "
                                 "Use a photo that is in focus and not enlarged.",
                                 m.sharpness, rules.sharpness_min));
}

void judge_exposure(Verdicts& out, const BrandMeasurements& m, const BrandRules& rules) {
    if (rules.lightness_min > 0.0 || rules.lightness_max < 100.0) {
        const bool passed =
            m.lightness >= rules.lightness_min && m.lightness <= rules.lightness_max;
        out.add("lightness", passed, fmt::format("L* {:.0f}", m.lightness),
                fmt::format("L* {:g}–{:g}", rules.lightness_min, rules.lightness_max),
                passed ? "The product is well exposed."
                       : fmt::format("The product is too {} (mean lightness L* {:.0f}; {:g}–{:g} "
                                     "wanted). Adjust the exposure.",
                                     m.lightness < rules.lightness_min ? "dark" : "bright",
                                     m.lightness, rules.lightness_min, rules.lightness_max));
    }
    if (rules.clipped_max < 1.0) {
        const bool passed = m.clipped <= rules.clipped_max;
        out.add("highlights", passed, percent(m.clipped) + " blown out",
                "at most " + percent(rules.clipped_max),
                passed ? "Highlights keep their detail."
                       : percent(m.clipped) + " of the product is blown-out white; at most " +
                             percent(rules.clipped_max) + " is allowed. Lower the exposure.");
    }
}

void judge_colour_space(Verdicts& out, const BrandMeasurements& m, const BrandRules& rules) {
    const bool strict = rules.colour_space == "srgb";
    const bool passed = m.is_srgb || !strict;
    std::string message = "The photo is in sRGB.";
    if (!m.is_srgb) {
        message = "The photo is in " + m.colour_space +
                  "; imgline converts it to sRGB for every rendition." +
                  (strict ? " This brand asks for sRGB originals." : "");
    }
    out.add("colour_space", passed, m.colour_space, strict ? "sRGB" : "sRGB or convertible",
            message, m.is_srgb ? "" : "convert_to_srgb");
}

void judge_format(Verdicts& out, const BrandMeasurements& m, const BrandRules& rules) {
    if (rules.formats.empty()) {
        return;
    }
    const bool passed = listed(rules.formats, m.format);
    std::string allowed;
    for (const auto& format : rules.formats) {
        allowed += (allowed.empty() ? "" : ", ") + format;
    }
    out.add("format", passed, m.format, allowed,
            passed
                ? "The file format is accepted."
                : "This role does not accept " + m.format + " files; use one of: " + allowed + ".");
}

void judge_file(Verdicts& out, const BrandMeasurements& m, const BrandRules& rules) {
    if (rules.max_original_bytes > 0) {
        const bool passed = m.bytes <= rules.max_original_bytes;
        out.add("original_bytes", passed, megabytes(m.bytes),
                "at most " + megabytes(rules.max_original_bytes),
                passed ? "The file size is accepted."
                       : "The file is " + megabytes(m.bytes) + "; at most " +
                             megabytes(rules.max_original_bytes) + " is accepted.");
    }
    if (!rules.transparency_allowed) {
        out.add("transparency", !m.transparent, m.transparent ? "transparent" : "opaque", "opaque",
                m.transparent ? "The photo has transparent areas; this role needs an opaque "
                                "photo. imgline can flatten it onto the brand background."
                              : "The photo is opaque.",
                "flatten");
    }
}

}  // namespace

std::string_view verdict_name(Verdict verdict) {
    switch (verdict) {
        case Verdict::Pass:
            return "pass";
        case Verdict::Warn:
            return "warn";
        case Verdict::Fail:
            return "fail";
    }
    return "fail";
}

const BrandRules* rules_for(const BrandConfig& brand, std::string_view role) {
    const auto found = brand.roles.find(std::string(role));
    return found == brand.roles.end() ? nullptr : &found->second;
}

MeasureSpec measure_spec_for(const BrandConfig& brand, const BrandRules& rules) {
    MeasureSpec spec;
    spec.delta_e = rules.background_delta_e;
    if (!rules.background.empty()) {
        spec.background = config::parse_rgb(rules.background);
    } else if (checks_product(rules)) {
        spec.background = config::parse_rgb(brand.background);
    }
    return spec;
}

BrandReport judge(const BrandMeasurements& measurements,
                  const BrandConfig& brand,
                  std::string_view role) {
    BrandReport report;
    report.brand = brand.name;
    report.role = std::string(role);
    report.measurements = measurements;
    const BrandRules* rules = rules_for(brand, role);
    if (rules == nullptr) {
        return report;
    }
    report.guides = {rules->fill_min, rules->fill_max, rules->centre_tolerance, rules->margin};
    Verdicts verdicts(*rules);
    judge_size(verdicts, measurements, *rules);
    judge_aspect(verdicts, measurements, *rules);
    judge_background(verdicts, measurements, *rules);
    judge_fill(verdicts, measurements, *rules);
    judge_centre(verdicts, measurements, *rules);
    judge_sharpness(verdicts, measurements, *rules);
    judge_exposure(verdicts, measurements, *rules);
    judge_colour_space(verdicts, measurements, *rules);
    judge_format(verdicts, measurements, *rules);
    judge_file(verdicts, measurements, *rules);
    report.rules = verdicts.take();
    for (const auto& result : report.rules) {
        report.verdict = std::max(report.verdict, result.verdict);
    }
    report.blocked = brand.block_on_fail && report.verdict == Verdict::Fail;
    return report;
}

}  // namespace imgline::pipeline
