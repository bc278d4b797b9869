#include "storage/product.h"

#include "storage/original_record.h"

#include <algorithm>

#include <boost/json.hpp>

namespace imgline::storage {
namespace {

// "1" … "99" without a leading zero.
bool is_slot_number(std::string_view digits) {
    return !digits.empty() && digits.size() <= 2 && digits.front() != '0' &&
           std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Slot& slot_of(Product& product, std::string_view name) {
    const auto at =
        std::lower_bound(product.slots.begin(), product.slots.end(), name,
                         [](const Slot& slot, std::string_view key) { return slot.name < key; });
    if (at != product.slots.end() && at->name == name) {
        return *at;
    }
    return *product.slots.insert(at, Slot{std::string(name), {}});
}

void push(Slot& slot, SlotEntry entry) {
    slot.history.push_back(std::move(entry));
    if (slot.history.size() > kSlotHistory) {
        slot.history.erase(
            slot.history.begin(),
            slot.history.begin() + static_cast<std::ptrdiff_t>(slot.history.size() - kSlotHistory));
    }
}

std::string text_of(const boost::json::object& object, const char* key) {
    const auto* value = object.if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
}

Error damaged(std::string detail) {
    return make_error(ErrorCode::StorageUnavailable, "stored metadata is damaged",
                      std::move(detail));
}

}  // namespace

const Slot* Product::find(std::string_view slot) const {
    const auto at = std::find_if(slots.begin(), slots.end(),
                                 [&](const Slot& candidate) { return candidate.name == slot; });
    return at == slots.end() ? nullptr : &*at;
}

bool is_slot_name(std::string_view slot) {
    if (slot == "main" || slot == "size-chart") {
        return true;
    }
    for (std::string_view prefix : {"detail-", "ad-"}) {
        if (slot.starts_with(prefix)) {
            return is_slot_number(slot.substr(prefix.size()));
        }
    }
    return false;
}

std::string_view slot_role(std::string_view slot) {
    if (slot.starts_with("detail-")) {
        return "detail";
    }
    if (slot.starts_with("ad-")) {
        return "ad";
    }
    return slot == "size-chart" ? "size_chart" : "main";
}

bool is_sku(std::string_view sku) {
    const bool allowed = std::all_of(sku.begin(), sku.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
    });
    return allowed && !sku.empty() && sku.size() <= 64 &&
           sku.find_first_not_of('.') != std::string_view::npos;
}

bool point_slot(Product& product, std::string_view slot, SlotEntry entry) {
    Slot& place = slot_of(product, slot);
    if (const SlotEntry* now = place.current(); now != nullptr && now->id == entry.id) {
        return false;
    }
    push(place, std::move(entry));
    ++product.revision;
    return true;
}

bool clear_slot(Product& product, std::string_view slot, std::string set_at, std::string set_by) {
    Slot& place = slot_of(product, slot);
    if (place.current() == nullptr) {
        return false;
    }
    push(place, SlotEntry{"", std::move(set_at), std::move(set_by)});
    ++product.revision;
    return true;
}

std::string product_path(std::string_view owner, std::string_view sku) {
    return "products/" + std::string(owner) + "/" + std::string(sku) + ".json";
}

boost::json::value to_json(const Product& product) {
    boost::json::object slots;
    for (const auto& slot : product.slots) {
        boost::json::array history;
        for (const auto& entry : slot.history) {
            history.push_back(
                {{"id", entry.id}, {"set_at", entry.set_at}, {"set_by", entry.set_by}});
        }
        slots[slot.name] = std::move(history);
    }
    return {{"owner", product.owner},
            {"sku", product.sku},
            {"revision", product.revision},
            {"slots", std::move(slots)}};
}

Expected<Product> product_from_json(std::string_view text) {
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(text, ec);
    if (ec || !parsed.is_object()) {
        return tl::unexpected(damaged("product is not a JSON object"));
    }
    const auto& object = parsed.as_object();
    Product product;
    product.owner = text_of(object, "owner");
    product.sku = text_of(object, "sku");
    if (const auto* revision = object.if_contains("revision");
        revision != nullptr && revision->is_number()) {
        product.revision = revision->to_number<std::uint64_t>();
    }
    if (product.owner.empty() || !is_sku(product.sku)) {
        return tl::unexpected(damaged("product without owner or sku"));
    }
    const auto* slots = object.if_contains("slots");
    if (slots == nullptr || !slots->is_object()) {
        return tl::unexpected(damaged("product without slots"));
    }
    for (const auto& [name, history] : slots->as_object()) {
        if (!is_slot_name(name) || !history.is_array()) {
            return tl::unexpected(damaged("bad slot '" + std::string(name) + "'"));
        }
        Slot& slot = slot_of(product, name);
        for (const auto& entry : history.as_array()) {
            if (!entry.is_object()) {
                return tl::unexpected(damaged("bad slot entry"));
            }
            SlotEntry read{text_of(entry.as_object(), "id"), text_of(entry.as_object(), "set_at"),
                           text_of(entry.as_object(), "set_by")};
            if (!read.id.empty() && !is_valid_id(read.id)) {
                return tl::unexpected(damaged("bad id in slot '" + std::string(name) + "'"));
            }
            slot.history.push_back(std::move(read));
        }
    }
    return product;
}

}  // namespace imgline::storage
