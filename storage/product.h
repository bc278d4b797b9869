#pragma once

#include "common/expected.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

namespace imgline::storage {

/// One original a slot pointed at, and when (RFC 3339 UTC) and by whom it was pointed there.
struct SlotEntry {
    std::string id;
    std::string set_at;
    std::string set_by;

    bool operator==(const SlotEntry&) const = default;
};

/// A named image place of a product ("main", "detail-2", "size-chart", "ad-1"): the original it
/// shows now (the last entry) and the ones it showed before, newest last.
struct Slot {
    std::string name;
    std::vector<SlotEntry> history;  // empty: the slot was cleared and shows nothing

    /// The original shown now, or null when the slot is empty.
    const SlotEntry* current() const {
        return history.empty() || history.back().id.empty() ? nullptr : &history.back();
    }

    bool operator==(const Slot&) const = default;
};

/// An owner's product (one SKU) and its image slots, in slot-name order. What a shop's slot URL
/// (/p/{owner}/{sku}/{slot}/{preset}) shows is decided here.
struct Product {
    std::string owner;
    std::string sku;
    std::vector<Slot> slots;
    /// Bumped by every change; a change made on an older revision is refused (see ProductStore).
    std::uint64_t revision = 0;

    const Slot* find(std::string_view slot) const;

    bool operator==(const Product&) const = default;
};

/// How many earlier originals a slot remembers (the oldest are forgotten past this).
inline constexpr std::size_t kSlotHistory = 20;

/// Slot names: "main", "size-chart", "detail-1" … "detail-99", "ad-1" … "ad-99".
bool is_slot_name(std::string_view slot);

/// The image role a slot's photos are checked as: main, size_chart, detail or ad.
std::string_view slot_role(std::string_view slot);

/// What a client is told when it names another slot.
inline constexpr std::string_view kSlotHint =
    "slot must be main, size-chart, detail-1 to detail-99 or ad-1 to ad-99";

/// SKUs: 1 to 64 of A-Z, a-z, 0-9, '-', '_' and '.', not only dots (a path segment of dots
/// cannot be addressed in a URL).
bool is_sku(std::string_view sku);

/// What a client is told when it names another SKU.
inline constexpr std::string_view kSkuHint =
    "sku must be 1 to 64 of A-Z, a-z, 0-9, '-', '_' and '.', not only dots";

/// Points `slot` of `product` at original `id` (a new entry; the oldest forgotten past
/// kSlotHistory) and bumps the revision. Pointing a slot at the original it shows already
/// changes nothing and returns false.
bool point_slot(Product& product, std::string_view slot, SlotEntry entry);

/// Empties `slot` (an entry with no id, so the history stays). False when it was empty.
bool clear_slot(Product& product, std::string_view slot, std::string set_at, std::string set_by);

/// Where a product is kept, relative to a store's root: "products/<owner>/<sku>.json" (a data
/// directory and an object store prefix alike).
std::string product_path(std::string_view owner, std::string_view sku);

boost::json::value to_json(const Product& product);

/// Parses what to_json wrote; StorageUnavailable on a damaged file.
Expected<Product> product_from_json(std::string_view text);

}  // namespace imgline::storage
