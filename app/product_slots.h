#pragma once

#include "app/auth.h"
#include "app/purge_fanout.h"
#include "config/config.h"
#include "storage/original_store.h"
#include "storage/product_store.h"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace imgline::app {

/// The result of changing a slot: the product as it is now, whether anything changed, and
/// whether the edges' copies of the slot's URLs were journalled for purging.
struct SlotChange {
    storage::Product product;
    bool changed = false;
    bool purge_queued = false;
};

/// Products and their image slots: which original each owner's SKU shows in each slot, who may
/// change that, and the purges a change sends. What a slot URL shows is remembered for a short
/// time (`fresh_for`; the object store's consistency TTL), so a slot URL costs no store request
/// while it is fresh; changes made through this origin are seen at once, changes made through
/// another origin within `fresh_for`. Changes are serialised in this process. Thread-safe.
class ProductSlots {
public:
    struct Parts {
        storage::OriginalStore& originals;
        storage::ProductStore& products;
        PurgeFanout& purges;
    };

    ProductSlots(Parts parts, std::chrono::milliseconds fresh_for);

    /// The product as remembered, when it was read less than `fresh_for` ago (a product with
    /// no slots when the owner has none of that SKU); null when it must be read. Never waits on
    /// storage and copies nothing: for the I/O threads, on every slot URL request.
    std::shared_ptr<const storage::Product> remembered(std::string_view owner,
                                                       std::string_view sku) const;

    /// The product, read from the store (and remembered) unless remembered; a product with no
    /// slots when there is none. StorageUnavailable when the store does not answer.
    Expected<storage::Product> product(std::string_view owner, std::string_view sku) const;

    /// Points `slot` of `owner`'s `sku` at original `id`. 403 unless `by` is the owner or an
    /// admin; 404 when `owner` has no record of `id`, 410 when it was deleted; 400 for a bad
    /// slot name. Journals purges of the slot's URLs on every edge when it changed.
    /// `config`: the configuration in use (its parties, and its presets' URLs to purge).
    Expected<SlotChange> point(const config::Config& config,
                               const Party& by,
                               std::string_view owner,
                               std::string_view sku,
                               std::string_view slot,
                               std::string_view id);

    /// Empties the slot (its URLs then answer 404); the same checks and purges.
    Expected<SlotChange> clear(const config::Config& config,
                               const Party& by,
                               std::string_view owner,
                               std::string_view sku,
                               std::string_view slot);

    /// The slot URLs (every preset, every format) of `owner`'s slots of `sku` that show `id`
    /// now: what must be purged too when `id` is deleted. Empty when none does or the product
    /// cannot be read.
    std::vector<std::string> paths_showing(const config::Config& config,
                                           std::string_view owner,
                                           std::string_view sku,
                                           std::string_view id) const;

private:
    Expected<SlotChange> change(const config::Config& config,
                                const Party& by,
                                std::string_view owner,
                                std::string_view sku,
                                std::string_view slot,
                                const std::function<bool(storage::Product&)>& edit);
    void remember(const storage::Product& product) const;

    Parts parts_;
    std::chrono::milliseconds fresh_for_;
    std::mutex change_mutex_;  // one change at a time: read, edit, write, purge

    struct Remembered {
        std::shared_ptr<const storage::Product> product;
        std::chrono::steady_clock::time_point read_at;
    };

    mutable std::mutex remembered_mutex_;
    mutable std::map<std::string, Remembered, std::less<>> remembered_;
};

}  // namespace imgline::app
