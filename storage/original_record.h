#pragma once

#include "common/expected.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace imgline::storage {

/// The fixes an upload's brand check promised its renditions (rules that did not pass, whose fix
/// the brand applies), kept typed in the record so a render reads them without the report.
struct PromisedFixes {
    bool trim = false;        // crop to the product, with the rule's margin
    bool pad_aspect = false;  // pad to the brand's aspect
    bool flatten = false;     // flatten transparency onto the brand's background
    /// Where the product is, as shares (0..1) of the upright image: left, top, width, height.
    std::optional<std::array<double, 4>> product_box;

    bool operator==(const PromisedFixes&) const = default;
};

/// What imgline knows about one party's original. The bytes live apart, once per id.
struct OriginalRecord {
    /// Hex SHA-256 of the bytes (64 lower-case hex digits).
    std::string id;
    /// The party that uploaded it (its name) and that party's kind.
    std::string owner;
    std::string owner_kind;
    std::string format;  // "jpeg", "png", ...
    std::uint64_t bytes = 0;
    int width = 0;
    int height = 0;
    /// Optional labels from the uploader.
    std::string sku;
    std::string role;  // main, detail, size_chart, ad, other (empty: not given)
    std::string title;
    /// RFC 3339 UTC, when it was first stored.
    std::string created_at;
    /// The brand it was checked against at upload, and that check's report (kept as the
    /// upload reply gave it; empty for originals stored before brand checks).
    std::string brand;
    boost::json::object brand_report;
    /// What the check promised. Records written before this field existed get it from
    /// `brand_report` when they are read.
    PromisedFixes fixes;
};

boost::json::value to_json(const OriginalRecord& record);

/// Parses what to_json wrote; fails with StorageUnavailable on a damaged file.
Expected<OriginalRecord> record_from_json(std::string_view text);

/// Fills in what a store decides when it first stores an original: its id, its size and when
/// (created_at, RFC 3339 UTC, now).
void stamp_new_record(OriginalRecord& record, std::string_view id, std::uint64_t bytes);

/// True for exactly 64 lower-case hex digits: the only ids from which a path is ever built.
bool is_valid_id(std::string_view id);

}  // namespace imgline::storage
