#include "storage/local_store.h"

#include "common/log.h"
#include "common/sha256.h"
#include "storage/data_dir.h"
#include "storage/durable_file.h"
#include "storage/product.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>

#include <boost/json/serialize.hpp>

namespace imgline::storage {
namespace {

namespace fs = std::filesystem;

std::string_view fan(std::string_view id, std::size_t level) {
    return id.substr(level * 2, 2);
}

bool exists(const std::string& path) {
    std::error_code ec;
    return fs::exists(path, ec);
}

}  // namespace

LocalStore::LocalStore(LocalStore&& other) noexcept
    : root_(std::move(other.root_)),
      leftovers_removed_(other.leftovers_removed_),
      tombstones_(std::move(other.tombstones_)) {}

Expected<LocalStore> LocalStore::open(const std::string& data_dir, bool remove_leftovers) {
    LocalStore store(data_dir);
    std::error_code ec;
    for (const char* part : {"originals", "records", "tombstones", "mezzanines"}) {
        fs::create_directories(fs::path(data_dir) / part, ec);
        if (ec) {
            return fail(ErrorCode::StorageUnavailable, "the data directory cannot be prepared",
                        data_dir + ": " + ec.message());
        }
    }
    if (remove_leftovers) {
        store.leftovers_removed_ = remove_leftover_temporaries(data_dir);
    }
    for (fs::recursive_directory_iterator it(fs::path(data_dir) / "tombstones", ec), end;
         !ec && it != end; it.increment(ec)) {
        if (is_valid_id(it->path().filename().string())) {
            store.tombstones_.insert(it->path().filename().string());
        }
    }
    return store;
}

std::string LocalStore::blob_dir(std::string_view id) const {
    return root_ + "/originals/" + std::string(fan(id, 0)) + "/" + std::string(fan(id, 1));
}

std::string LocalStore::mezzanine_dir(std::string_view id) const {
    return root_ + "/mezzanines/" + std::string(fan(id, 0)) + "/" + std::string(fan(id, 1));
}

std::string LocalStore::record_dir(std::string_view owner, std::string_view id) const {
    return root_ + "/records/" + std::string(owner) + "/" + std::string(fan(id, 0));
}

std::string LocalStore::tombstone_dir(std::string_view id) const {
    return root_ + "/tombstones/" + std::string(fan(id, 0));
}

std::mutex& LocalStore::lock_for(std::string_view id) const {
    // The id is a SHA-256: its first byte spreads evenly over the stripes.
    const auto stripe = std::stoul(std::string(id.substr(0, 2)), nullptr, 16) % locks_.size();
    return locks_[stripe];
}

Expected<StoredOriginal> LocalStore::put(std::string_view bytes, OriginalRecord record) {
    const std::string id = sha256_hex(bytes);
    std::lock_guard lock(lock_for(id));
    if (auto existing = find(id, record.owner)) {
        return StoredOriginal{std::move(*existing), false};
    }
    // The bytes first, then the record: a crash in between leaves an unreferenced file that a
    // re-upload completes, never a record without its bytes.
    if (!exists(blob_dir(id) + "/" + id)) {
        if (auto written = write_durably(blob_dir(id), id, bytes); !written) {
            return tl::unexpected(written.error());
        }
    }
    if (auto cleared = remove_durably(tombstone_dir(id) + "/" + id); !cleared) {
        return tl::unexpected(cleared.error());
    }
    {
        std::lock_guard tombstones(tombstones_mutex_);
        tombstones_.erase(id);
    }
    stamp_new_record(record, id, bytes.size());
    const std::string json = boost::json::serialize(to_json(record));
    if (auto written = write_durably(record_dir(record.owner, id), id + ".json", json); !written) {
        return tl::unexpected(written.error());
    }
    return StoredOriginal{std::move(record), true};
}

Expected<void> LocalStore::put_bytes(std::string_view bytes) {
    const std::string id = sha256_hex(bytes);
    std::lock_guard lock(lock_for(id));
    if (exists(blob_dir(id) + "/" + id)) {
        return {};
    }
    return write_durably(blob_dir(id), id, bytes);
}

Expected<OriginalRecord> LocalStore::find(std::string_view id, std::string_view owner) const {
    if (!is_valid_id(id)) {
        return fail(ErrorCode::NotFound, "no such original");
    }
    auto text = read_file(record_dir(owner, id) + "/" + std::string(id) + ".json");
    if (!text) {
        return tl::unexpected(text.error());
    }
    return record_from_json(*text);
}

std::vector<OriginalRecord> LocalStore::records_of(std::string_view id) const {
    std::vector<OriginalRecord> records;
    if (!is_valid_id(id)) {
        return records;
    }
    for (const auto& owner : owners_of(id).value_or(std::vector<std::string>{})) {
        if (auto record = readable_record(id, owner)) {
            records.push_back(std::move(*record));
        }
    }
    return records;
}

Expected<std::vector<std::string>> LocalStore::owners_of(std::string_view id) const {
    std::vector<std::string> owners;
    if (!is_valid_id(id)) {
        return owners;
    }
    std::error_code ec;
    for (const auto& owner : fs::directory_iterator(root_ + "/records", ec)) {
        const std::string name = owner.path().filename().string();
        if (exists(record_dir(name, id) + "/" + std::string(id) + ".json")) {
            owners.push_back(name);
        }
    }
    if (ec && ec != std::errc::no_such_file_or_directory) {
        return fail(ErrorCode::StorageUnavailable, "the originals cannot be read",
                    root_ + "/records: " + ec.message());
    }
    std::sort(owners.begin(), owners.end());
    return owners;
}

std::optional<OriginalRecord> LocalStore::readable_record(std::string_view id,
                                                          std::string_view owner) const {
    auto record = find(id, owner);
    if (!record) {
        if (record.error().code != ErrorCode::NotFound) {
            log::warn("a stored record cannot be read; its owner or an admin can delete it",
                      {{"id", id}, {"owner", owner}, {"detail", record.error().detail}});
        }
        return std::nullopt;
    }
    return std::move(*record);
}

Expected<std::string> LocalStore::read(std::string_view id) const {
    if (!is_valid_id(id)) {
        return fail(ErrorCode::NotFound, "no such original");
    }
    return read_file(blob_dir(id) + "/" + std::string(id));
}

Expected<void> LocalStore::put_mezzanine(std::string_view id,
                                         int side,
                                         std::string_view bytes,
                                         bool only_while_stored) {
    if (!is_valid_id(id)) {
        return fail(ErrorCode::NotFound, "no such original");
    }
    std::lock_guard lock(lock_for(id));
    if (only_while_stored && !exists(blob_dir(id) + "/" + std::string(id))) {
        return fail(ErrorCode::NotFound, "no such original");
    }
    return write_durably(mezzanine_dir(id), std::string(id) + "." + std::to_string(side), bytes);
}

Expected<std::string> LocalStore::read_mezzanine(std::string_view id, int side) const {
    if (!is_valid_id(id)) {
        return fail(ErrorCode::NotFound, "no such original");
    }
    return read_file(mezzanine_dir(id) + "/" + std::string(id) + "." + std::to_string(side));
}

bool LocalStore::has_mezzanine(std::string_view id, int side) const {
    return is_valid_id(id) &&
           exists(mezzanine_dir(id) + "/" + std::string(id) + "." + std::to_string(side));
}

Expected<OriginalPage> LocalStore::list(std::string_view owner,
                                        std::string_view sku,
                                        std::string_view after,
                                        std::size_t limit) const {
    std::vector<std::string> ids;
    std::error_code ec;
    const fs::path owner_dir = fs::path(root_) / "records" / std::string(owner);
    for (fs::recursive_directory_iterator it(owner_dir, ec), end; !ec && it != end;
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() == 69 && name.ends_with(".json") && name.substr(0, 64) > after) {
            ids.push_back(name.substr(0, 64));
        }
    }
    std::sort(ids.begin(), ids.end());
    OriginalPage page;
    for (const auto& id : ids) {
        auto record = readable_record(id, owner);
        if (!record || (!sku.empty() && record->sku != sku)) {
            continue;
        }
        if (page.items.size() == limit) {
            page.next_after = page.items.back().id;
            break;
        }
        page.items.push_back(std::move(*record));
    }
    return page;
}

Expected<void> LocalStore::remove(std::string_view id, std::string_view owner) {
    if (!is_valid_id(id)) {
        return fail(ErrorCode::NotFound, "no such original");
    }
    std::lock_guard lock(lock_for(id));
    const std::string record_path = record_dir(owner, id) + "/" + std::string(id) + ".json";
    if (!exists(record_path)) {
        return fail(ErrorCode::NotFound, "no such original");
    }
    if (auto removed = remove_durably(record_path); !removed) {
        return removed;
    }
    const auto owners = owners_of(id);
    if (!owners) {
        return tl::unexpected(owners.error());
    }
    if (!owners->empty()) {
        return {};  // another party still has it (even if its record cannot be read)
    }
    // Tombstone first: once the bytes are gone, renditions must already answer 410.
    if (auto marked = write_durably(tombstone_dir(id), std::string(id), ""); !marked) {
        return marked;
    }
    {
        std::lock_guard tombstones(tombstones_mutex_);
        tombstones_.insert(std::string(id));
    }
    std::vector<std::string> mezzanines;  // every size of it
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(mezzanine_dir(id), ec)) {
        if (entry.path().stem().string() == id) {
            mezzanines.push_back(entry.path().string());
        }
    }
    for (const auto& mezzanine : mezzanines) {
        if (auto removed = remove_durably(mezzanine); !removed) {
            return removed;
        }
    }
    return remove_durably(blob_dir(id) + "/" + std::string(id));
}

bool LocalStore::is_deleted(std::string_view id) const {
    std::lock_guard lock(tombstones_mutex_);
    return tombstones_.count(std::string(id)) == 1;
}

Expected<void> LocalStore::available() const {
    return probe_writable(root_);
}

Expected<std::vector<StoredItem>> LocalStore::inventory() const {
    std::vector<StoredItem> bytes;
    std::vector<StoredItem> records;
    std::vector<StoredItem> tombstones;
    std::vector<StoredItem> products;
    // products/<owner>/<sku>.json: the slots name originals, so they are copied last.
    std::error_code listed;
    for (const auto& owner : fs::directory_iterator(fs::path(root_) / "products", listed)) {
        std::error_code ec;
        for (const auto& file : fs::directory_iterator(owner.path(), ec)) {
            const std::string name = file.path().filename().string();
            const std::string sku =
                name.substr(0, name.size() - std::min<std::size_t>(5, name.size()));
            if (name.ends_with(".json") && is_sku(sku) && file.is_regular_file(ec)) {
                products.push_back(
                    {StoredItem::Kind::Product, sku, owner.path().filename().string(), 0});
            }
        }
    }
    for (const std::string part : {"originals", "mezzanines", "records", "tombstones"}) {
        const fs::path top = fs::path(root_) / part;
        std::error_code ec;
        for (fs::recursive_directory_iterator it(top, ec), end; !ec && it != end;
             it.increment(ec)) {
            const std::string name = it->path().filename().string();
            const std::string id = name.substr(0, 64);
            if (!is_valid_id(id) || !it->is_regular_file(ec)) {
                continue;  // fan-out folders, temporaries (".tmp-…")
            }
            if (part == "originals" && name.size() == 64) {
                bytes.push_back({StoredItem::Kind::Original, id, {}, 0});
            } else if (part == "mezzanines" && name.size() > 65 && name[64] == '.') {
                bytes.push_back(
                    {StoredItem::Kind::Mezzanine, id, {}, std::atoi(name.c_str() + 65)});
            } else if (part == "records" && name.size() == 69 && name.ends_with(".json")) {
                // records/<owner>/<aa>/<id>.json
                const fs::path relative = it->path().lexically_relative(top);
                records.push_back({StoredItem::Kind::Record, id, relative.begin()->string(), 0});
            } else if (part == "tombstones" && name.size() == 64) {
                tombstones.push_back({StoredItem::Kind::Tombstone, id, {}, 0});
            }
        }
        if (ec && ec != std::errc::no_such_file_or_directory) {
            return fail(ErrorCode::StorageUnavailable, "the originals cannot be listed",
                        top.string() + ": " + ec.message());
        }
    }
    const auto by_name = [](const StoredItem& a, const StoredItem& b) {
        return a.name() < b.name();
    };
    std::sort(bytes.begin(), bytes.end(), by_name);
    std::sort(records.begin(), records.end(), by_name);
    std::sort(tombstones.begin(), tombstones.end(), by_name);
    std::sort(products.begin(), products.end(), by_name);
    bytes.insert(bytes.end(), records.begin(), records.end());
    bytes.insert(bytes.end(), tombstones.begin(), tombstones.end());
    bytes.insert(bytes.end(), products.begin(), products.end());
    return bytes;
}

Expected<std::string> LocalStore::read_item(const StoredItem& item) const {
    switch (item.kind) {
        case StoredItem::Kind::Original:
            return read(item.id);
        case StoredItem::Kind::Mezzanine:
            return read_mezzanine(item.id, item.side);
        case StoredItem::Kind::Record:
            return read_file(record_dir(item.owner, item.id) + "/" + item.id + ".json");
        case StoredItem::Kind::Tombstone:
            return std::string();
        case StoredItem::Kind::Product:
            return read_file(root_ + "/" + product_path(item.owner, item.id));
    }
    return fail(ErrorCode::Internal, "an item of no known kind");
}

}  // namespace imgline::storage
