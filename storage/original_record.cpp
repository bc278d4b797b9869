#include "storage/original_record.h"

#include "common/unix_time.h"

#include <algorithm>
#include <chrono>
#include <ctime>

#include <boost/json.hpp>

namespace imgline::storage {
namespace {

boost::json::object fixes_json(const PromisedFixes& fixes) {
    boost::json::object json{
        {"trim", fixes.trim}, {"pad_aspect", fixes.pad_aspect}, {"flatten", fixes.flatten}};
    if (fixes.product_box) {
        json["product_box"] =
            boost::json::array(fixes.product_box->begin(), fixes.product_box->end());
    }
    return json;
}

bool flag(const boost::json::object& object, const char* key) {
    const auto* value = object.if_contains(key);
    return value != nullptr && value->is_bool() && value->as_bool();
}

// A share of the image: a number in 0..1.
std::optional<double> share(const boost::json::value* value) {
    if (value == nullptr || !value->is_number()) {
        return std::nullopt;
    }
    const double number = value->to_number<double>();
    return number >= 0.0 && number <= 1.0 ? std::optional<double>(number) : std::nullopt;
}

// Four shares with a non-empty width and height, or nothing.
std::optional<std::array<double, 4>> box_of(const std::array<const boost::json::value*, 4>& parts) {
    std::array<double, 4> box{};
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto part = share(parts[i]);
        if (!part) {
            return std::nullopt;
        }
        box[i] = *part;
    }
    if (box[2] <= 0.0 || box[3] <= 0.0) {
        return std::nullopt;
    }
    return box;
}

PromisedFixes fixes_from_json(const boost::json::object& json) {
    PromisedFixes fixes{flag(json, "trim"), flag(json, "pad_aspect"), flag(json, "flatten"), {}};
    if (const auto* box = json.if_contains("product_box");
        box != nullptr && box->is_array() && box->as_array().size() == 4) {
        const auto& parts = box->as_array();
        fixes.product_box = box_of({&parts[0], &parts[1], &parts[2], &parts[3]});
    }
    return fixes;
}

// Records written before the typed fixes: the fixes the stored report marked as applied, and
// the product's box from its measurements.
PromisedFixes fixes_from_report(const boost::json::object& report) {
    PromisedFixes fixes;
    if (const auto* rules = report.if_contains("rules"); rules != nullptr && rules->is_array()) {
        for (const auto& rule : rules->as_array()) {
            const auto* fix = rule.is_object() ? rule.as_object().if_contains("fix") : nullptr;
            if (fix == nullptr || !fix->is_object() || !flag(fix->as_object(), "applied")) {
                continue;
            }
            const auto* name = fix->as_object().if_contains("name");
            const std::string_view named = name != nullptr && name->is_string()
                                               ? std::string_view(name->as_string())
                                               : std::string_view();
            fixes.trim = fixes.trim || named == "trim";
            fixes.pad_aspect = fixes.pad_aspect || named == "pad_aspect";
            fixes.flatten = fixes.flatten || named == "flatten";
        }
    }
    const auto* measurements = report.if_contains("measurements");
    const auto* product = measurements != nullptr && measurements->is_object()
                              ? measurements->as_object().if_contains("product")
                              : nullptr;
    if (product != nullptr && product->is_object()) {
        const auto& box = product->as_object();
        fixes.product_box = box_of({box.if_contains("left"), box.if_contains("top"),
                                    box.if_contains("width"), box.if_contains("height")});
    }
    return fixes;
}

}  // namespace

boost::json::value to_json(const OriginalRecord& record) {
    boost::json::object json{{"id", record.id},
                             {"owner", record.owner},
                             {"owner_kind", record.owner_kind},
                             {"format", record.format},
                             {"bytes", record.bytes},
                             {"width", record.width},
                             {"height", record.height},
                             {"sku", record.sku},
                             {"role", record.role},
                             {"title", record.title},
                             {"created_at", record.created_at}};
    if (!record.brand.empty()) {
        json["brand"] = record.brand;
        json["brand_report"] = record.brand_report;
        json["fixes"] = fixes_json(record.fixes);
    }
    return json;
}

Expected<OriginalRecord> record_from_json(std::string_view text) {
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(text, ec);
    if (ec || !parsed.is_object()) {
        return fail(ErrorCode::StorageUnavailable, "stored metadata is damaged", ec.message());
    }
    const auto& object = parsed.as_object();
    auto text_of = [&](const char* key) -> std::string {
        const auto* value = object.if_contains(key);
        return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
    };
    auto number_of = [&](const char* key) -> std::int64_t {
        const auto* value = object.if_contains(key);
        return value != nullptr && value->is_int64() ? value->as_int64() : 0;
    };
    OriginalRecord record;
    record.id = text_of("id");
    record.owner = text_of("owner");
    record.owner_kind = text_of("owner_kind");
    record.format = text_of("format");
    record.bytes = static_cast<std::uint64_t>(number_of("bytes"));
    record.width = static_cast<int>(number_of("width"));
    record.height = static_cast<int>(number_of("height"));
    record.sku = text_of("sku");
    record.role = text_of("role");
    record.title = text_of("title");
    record.created_at = text_of("created_at");
    record.brand = text_of("brand");
    if (const auto* report = object.if_contains("brand_report");
        report != nullptr && report->is_object()) {
        record.brand_report = report->as_object();
    }
    if (const auto* fixes = object.if_contains("fixes"); fixes != nullptr && fixes->is_object()) {
        record.fixes = fixes_from_json(fixes->as_object());
    } else {
        record.fixes = fixes_from_report(record.brand_report);
    }
    if (!is_valid_id(record.id) || record.owner.empty()) {
        return fail(ErrorCode::StorageUnavailable, "stored metadata is damaged", "bad id/owner");
    }
    return record;
}

bool is_valid_id(std::string_view id) {
    return id.size() == 64 && std::all_of(id.begin(), id.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

void stamp_new_record(OriginalRecord& record, std::string_view id, std::uint64_t bytes) {
    record.id = std::string(id);
    record.bytes = bytes;
    record.created_at = rfc3339_now();
}

}  // namespace imgline::storage
