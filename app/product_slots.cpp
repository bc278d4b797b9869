#include "app/product_slots.h"

#include "app/rendition_address.h"
#include "common/log.h"
#include "common/unix_time.h"

#include <algorithm>

namespace imgline::app {
namespace {

// Products remembered at most (a slot URL for every SKU of a large catalogue may be asked for);
// past it, everything is forgotten and read again.
constexpr std::size_t kMaxRemembered = 100'000;

std::string product_key(std::string_view owner, std::string_view sku) {
    return std::string(owner) + "/" + std::string(sku);
}

storage::Product empty_product(std::string_view owner, std::string_view sku) {
    return storage::Product{std::string(owner), std::string(sku), {}, 0};
}

}  // namespace

ProductSlots::ProductSlots(Parts parts, std::chrono::milliseconds fresh_for)
    : parts_(parts), fresh_for_(fresh_for) {}

std::shared_ptr<const storage::Product> ProductSlots::remembered(std::string_view owner,
                                                                 std::string_view sku) const {
    const std::string key = product_key(owner, sku);
    std::lock_guard lock(remembered_mutex_);
    const auto found = remembered_.find(key);
    if (found == remembered_.end() ||
        std::chrono::steady_clock::now() - found->second.read_at >= fresh_for_) {
        return nullptr;
    }
    return found->second.product;
}

void ProductSlots::remember(const storage::Product& product) const {
    auto kept = std::make_shared<const storage::Product>(product);
    std::string key = product_key(product.owner, product.sku);
    std::lock_guard lock(remembered_mutex_);
    if (remembered_.size() >= kMaxRemembered) {
        remembered_.clear();
    }
    remembered_.insert_or_assign(std::move(key),
                                 Remembered{std::move(kept), std::chrono::steady_clock::now()});
}

Expected<storage::Product> ProductSlots::product(std::string_view owner,
                                                 std::string_view sku) const {
    if (auto known = remembered(owner, sku)) {
        return *known;
    }
    auto read = parts_.products.read(owner, sku);
    if (!read && read.error().code != ErrorCode::NotFound) {
        return tl::unexpected(read.error());
    }
    storage::Product product = read ? std::move(*read) : empty_product(owner, sku);
    remember(product);
    return product;
}

Expected<SlotChange> ProductSlots::point(const config::Config& config,
                                         const Party& by,
                                         std::string_view owner,
                                         std::string_view sku,
                                         std::string_view slot,
                                         std::string_view id) {
    if (!storage::is_valid_id(id)) {
        return fail(ErrorCode::BadRequest, "id must be an original's id (64 hex digits)");
    }
    return change(config, by, owner, sku, slot, [&](storage::Product& product) -> bool {
        return storage::point_slot(product, slot,
                                   storage::SlotEntry{std::string(id), rfc3339_now(), by.name});
    });
}

Expected<SlotChange> ProductSlots::clear(const config::Config& config,
                                         const Party& by,
                                         std::string_view owner,
                                         std::string_view sku,
                                         std::string_view slot) {
    return change(config, by, owner, sku, slot, [&](storage::Product& product) {
        return storage::clear_slot(product, slot, rfc3339_now(), by.name);
    });
}

Expected<SlotChange> ProductSlots::change(const config::Config& config,
                                          const Party& by,
                                          std::string_view owner,
                                          std::string_view sku,
                                          std::string_view slot,
                                          const std::function<bool(storage::Product&)>& edit) {
    if (auto allowed = require_owner_or_admin(by, owner); !allowed) {
        return tl::unexpected(allowed.error());
    }
    if (!is_party(config, owner)) {
        return fail(ErrorCode::NotFound, "no such party");
    }
    if (!storage::is_sku(sku)) {
        return fail(ErrorCode::BadRequest, std::string(storage::kSkuHint));
    }
    if (!storage::is_slot_name(slot)) {
        return fail(ErrorCode::BadRequest, std::string(storage::kSlotHint));
    }
    std::lock_guard lock(change_mutex_);
    auto read = parts_.products.read(owner, sku);  // never the remembered copy: it may be old
    if (!read && read.error().code != ErrorCode::NotFound) {
        return tl::unexpected(read.error());
    }
    SlotChange result{read ? std::move(*read) : empty_product(owner, sku), false, false};
    result.changed = edit(result.product);
    // The original a slot is pointed at must be the owner's and still stored.
    if (const storage::SlotEntry* now = result.product.find(slot)->current();
        result.changed && now != nullptr) {
        if (parts_.originals.is_deleted(now->id)) {
            return fail(ErrorCode::Gone, "this original was deleted");
        }
        if (auto record = parts_.originals.find(now->id, owner); !record) {
            if (record.error().code == ErrorCode::NotFound) {
                return fail(ErrorCode::NotFound,
                            "'" + std::string(owner) + "' has no original with this id");
            }
            return tl::unexpected(record.error());
        }
    }
    if (!result.changed) {
        remember(result.product);
        return result;
    }
    if (auto written = parts_.products.write(result.product); !written) {
        return tl::unexpected(written.error());
    }
    remember(result.product);
    // Journalled, so the edges drop their copies even if this process dies; a lost purge is
    // bounded by the slot URLs' max-age (products.slot_max_age).
    auto queued = parts_.purges.purge(slot_paths(config, owner, sku, slot));
    result.purge_queued = queued.has_value();
    if (!queued) {
        log::warn(
            "a slot changed but its purges could not be journalled; edges keep the old "
            "photo until the slot URLs' max-age passes",
            {{"owner", std::string(owner)},
             {"sku", std::string(sku)},
             {"slot", std::string(slot)},
             {"detail", queued.error().detail}});
    }
    return result;
}

std::vector<std::string> ProductSlots::paths_showing(const config::Config& config,
                                                     std::string_view owner,
                                                     std::string_view sku,
                                                     std::string_view id) const {
    std::vector<std::string> paths;
    if (!storage::is_sku(sku)) {
        return paths;
    }
    auto read = parts_.products.read(owner, sku);
    if (!read) {
        return paths;
    }
    remember(*read);
    for (const auto& slot : read->slots) {
        if (const auto* now = slot.current(); now != nullptr && now->id == id) {
            auto more = slot_paths(config, owner, sku, slot.name);
            paths.insert(paths.end(), more.begin(), more.end());
        }
    }
    return paths;
}

}  // namespace imgline::app
