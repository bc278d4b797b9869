#include "app/brand_report.h"

namespace imgline::app {
namespace {

boost::json::object measurements_json(const pipeline::BrandMeasurements& m) {
    boost::json::object json{
        {"format", m.format},
        {"bytes", m.bytes},
        {"width", m.width},
        {"height", m.height},
        {"colour_space", m.colour_space},
        {"srgb", m.is_srgb},
        {"transparent", m.transparent},
        {"border_colour", config::format_rgb(m.border_colour)},
        {"fill", m.fill},
        {"centre_offset", m.centre_offset},
        {"sharpness", m.sharpness},
        {"lightness", m.lightness},
        {"clipped", m.clipped},
        {"analysed", {{"width", m.analysed_width}, {"height", m.analysed_height}}},
    };
    if (m.against_background) {
        json["border_match"] = m.border_match;
    }
    if (m.against_background && m.product_found) {
        json["product"] = {{"left", m.product.left},
                           {"top", m.product.top},
                           {"width", m.product.width},
                           {"height", m.product.height}};
    }
    return json;
}

}  // namespace

boost::json::object report_json(const pipeline::BrandReport& report) {
    boost::json::array rules;
    for (const auto& rule : report.rules) {
        boost::json::object json{{"rule", rule.rule},
                                 {"verdict", pipeline::verdict_name(rule.verdict)},
                                 {"measured", rule.measured},
                                 {"threshold", rule.threshold},
                                 {"message", rule.message}};
        if (!rule.fix.empty()) {
            json["fix"] = {{"name", rule.fix}, {"applied", rule.fix_applied}};
        }
        rules.push_back(std::move(json));
    }
    boost::json::object json{{"brand", report.brand},
                             {"role", report.role},
                             {"verdict", pipeline::verdict_name(report.verdict)},
                             {"blocked", report.blocked},
                             {"rules", std::move(rules)}};
    if (!report.rules.empty()) {
        json["measurements"] = measurements_json(report.measurements);
        json["guides"] = {{"fill_min", report.guides.fill_min},
                          {"fill_max", report.guides.fill_max},
                          {"centre_tolerance", report.guides.centre_tolerance},
                          {"margin", report.guides.margin}};
    }
    return json;
}

storage::PromisedFixes promised_fixes(const pipeline::BrandReport& report) {
    storage::PromisedFixes fixes;
    for (const auto& rule : report.rules) {
        if (!rule.fix_applied) {
            continue;
        }
        fixes.trim = fixes.trim || rule.fix == "trim";
        fixes.pad_aspect = fixes.pad_aspect || rule.fix == "pad_aspect";
        fixes.flatten = fixes.flatten || rule.fix == "flatten";
    }
    const auto& measured = report.measurements;
    if (measured.against_background && measured.product_found) {
        fixes.product_box = std::array<double, 4>{measured.product.left, measured.product.top,
                                                  measured.product.width, measured.product.height};
    }
    return fixes;
}

}  // namespace imgline::app
