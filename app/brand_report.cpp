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
    }
    return json;
}

std::optional<pipeline::ShareBox> product_box_of(const boost::json::object& report) {
    const auto* measurements = report.if_contains("measurements");
    const auto* product = measurements != nullptr && measurements->is_object()
                              ? measurements->as_object().if_contains("product")
                              : nullptr;
    if (product == nullptr || !product->is_object()) {
        return std::nullopt;
    }
    const auto& box = product->as_object();
    auto share = [&](const char* key) -> std::optional<double> {
        const auto* value = box.if_contains(key);
        if (value == nullptr || !value->is_number()) {
            return std::nullopt;
        }
        const double number = value->to_number<double>();
        return number >= 0.0 && number <= 1.0 ? std::optional<double>(number) : std::nullopt;
    };
    const auto left = share("left");
    const auto top = share("top");
    const auto width = share("width");
    const auto height = share("height");
    if (!left || !top || !width || !height || *width <= 0.0 || *height <= 0.0) {
        return std::nullopt;
    }
    return pipeline::ShareBox{*left, *top, *width, *height};
}

}  // namespace imgline::app
