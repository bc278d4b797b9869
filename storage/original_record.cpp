#include "storage/original_record.h"

#include <algorithm>

#include <boost/json.hpp>

namespace imgline::storage {

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

}  // namespace imgline::storage
