#include "storage/s3_store.h"

#include "common/log.h"
#include "common/sha256.h"
#include "storage/product.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <future>

#include <boost/json/serialize.hpp>

namespace imgline::storage {
namespace {

constexpr std::size_t kListPage = 1000;
// Recently written or read mezzanines kept in memory (RecentObjects).
constexpr std::size_t kRecentBytes = 64ULL * 1024 * 1024;
// Originals whose records are remembered at most; beyond, all are forgotten at once.
constexpr std::size_t kKnownRecords = 8192;
// How far back each reading of changes/ starts before the newest change seen, beyond twice the
// TTL: room for origins whose clocks differ by up to a minute.
constexpr std::int64_t kClockSkewMs = 60'000;

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string change_key_at(std::int64_t ms) {
    char text[32];
    std::snprintf(text, sizeof text, "changes/%015lld",
                  static_cast<long long>(std::max<std::int64_t>(ms, 0)));
    return text;
}

std::string original_key(std::string_view id) {
    return "originals/" + std::string(id);
}

std::string record_key(std::string_view id, std::string_view owner) {
    return "records/" + std::string(id) + "/" + std::string(owner) + ".json";
}

std::string owner_marker(std::string_view owner, std::string_view id) {
    return "owners/" + std::string(owner) + "/" + std::string(id);
}

std::string tombstone_key(std::string_view id) {
    return "tombstones/" + std::string(id);
}

std::string mezzanine_key(std::string_view id, int side) {
    return "mezzanines/" + std::string(id) + "." + std::to_string(side);
}

Error no_such_original() {
    return make_error(ErrorCode::NotFound, "no such original");
}

}  // namespace

S3Store::S3Store(config::S3Config settings, s3::ObjectHttp http, s3::StoreObserver observe)
    : client_(settings,
              std::move(http),
              [this, observe = std::move(observe)](
                  std::string_view operation, std::string_view result, double seconds) {
                  reachable_.store(result == "ok" || result == "not_found",
                                   std::memory_order_relaxed);
                  if (observe) {
                      observe(operation, result, seconds);
                  }
              }),
      ttl_(settings.consistency_ttl),
      recent_(kRecentBytes) {}

Expected<std::unique_ptr<S3Store>> S3Store::open(config::S3Config settings,
                                                 s3::ObjectHttp http,
                                                 s3::StoreObserver observe) {
    std::unique_ptr<S3Store> store(
        new S3Store(std::move(settings), std::move(http), std::move(observe)));
    // Every tombstone, then changes from now on (less the window follow() reads back).
    const std::int64_t started = now_ms();
    auto tombstones = store->client_.list_all("tombstones/");
    if (!tombstones) {
        return tl::unexpected(tombstones.error());
    }
    for (const auto& key : *tombstones) {
        const std::string id = key.substr(std::string_view("tombstones/").size());
        if (is_valid_id(id)) {
            store->tombstones_.insert(id);
        }
    }
    store->newest_change_ms_ = started;
    store->follower_ = std::thread([raw = store.get()] { raw->follow(); });
    return store;
}

S3Store::~S3Store() {
    {
        std::lock_guard lock(follow_mutex_);
        stopping_ = true;
    }
    follow_wake_.notify_all();
    if (follower_.joinable()) {
        follower_.join();
    }
}

Expected<void> S3Store::available() const {
    if (!reachable_.load(std::memory_order_relaxed)) {
        return fail(ErrorCode::StorageUnavailable, "the object store is not answering",
                    client_.settings().endpoint);
    }
    return {};
}

void S3Store::follow() {
    std::unique_lock lock(follow_mutex_);
    while (!stopping_) {
        follow_wake_.wait_for(lock, ttl_ / 2, [this] { return stopping_; });
        if (stopping_) {
            break;
        }
        lock.unlock();
        if (auto followed = follow_changes(); !followed) {
            log::warn("cannot read deletes made through other origins from the object store",
                      {{"detail", followed.error().detail}});
        }
        lock.lock();
    }
}

Expected<void> S3Store::follow_changes() {
    std::int64_t from = 0;
    {
        std::lock_guard lock(tombstones_mutex_);
        from = newest_change_ms_ - 2 * ttl_.count() - kClockSkewMs;
    }
    auto keys = client_.list_all("changes/", change_key_at(from));
    if (!keys) {
        return tl::unexpected(keys.error());
    }

    std::vector<std::string> changed;
    std::unique_lock lock(tombstones_mutex_);
    for (const auto& key : *keys) {
        // changes/<15 digits>-<64 hex>.<deleted|restored>
        const std::string_view name = std::string_view(key).substr(8);
        if (name.size() < 15 + 1 + 64 + 2 || applied_.count(key) == 1) {
            continue;
        }
        const std::int64_t ms = std::strtoll(std::string(name.substr(0, 15)).c_str(), nullptr, 10);
        const std::string id(name.substr(16, 64));
        const std::string_view what = name.substr(16 + 64);
        if (!is_valid_id(id) || (what != ".deleted" && what != ".restored")) {
            continue;
        }
        if (what == ".deleted") {
            tombstones_.insert(id);
        } else {
            tombstones_.erase(id);
        }
        applied_.emplace(key, ms);
        newest_change_ms_ = std::max(newest_change_ms_, ms);
        changed.push_back(id);
    }
    // Keys before the window are never listed again: forget them.
    const std::int64_t horizon = newest_change_ms_ - 4 * ttl_.count() - 2 * kClockSkewMs;
    for (auto it = applied_.begin(); it != applied_.end();) {
        it = it->second < horizon ? applied_.erase(it) : std::next(it);
    }
    lock.unlock();
    for (const auto& id : changed) {
        forget(id);
    }
    return {};
}

void S3Store::forget(std::string_view id) const {
    {
        std::lock_guard lock(records_mutex_);
        known_records_.erase(std::string(id));
    }
    recent_.forget("mezzanines/" + std::string(id) + ".");
}

Expected<void> S3Store::record_change(std::string_view id, std::string_view what) {
    const std::int64_t ms = now_ms();
    const std::string key = change_key_at(ms) + "-" + std::string(id) + "." + std::string(what);
    if (auto written = client_.put(key, {}); !written) {
        return written;
    }
    std::lock_guard lock(tombstones_mutex_);
    applied_.emplace(key, ms);
    return {};
}

void S3Store::mark(std::string_view id, bool deleted) {
    std::lock_guard lock(tombstones_mutex_);
    if (deleted) {
        tombstones_.insert(std::string(id));
    } else {
        tombstones_.erase(std::string(id));
    }
}

bool S3Store::is_deleted(std::string_view id) const {
    std::lock_guard lock(tombstones_mutex_);
    return tombstones_.count(std::string(id)) == 1;
}

Expected<StoredOriginal> S3Store::put(std::string_view bytes, OriginalRecord record) {
    const std::string id = sha256_hex(bytes);
    // Three questions at once (each a round trip): this party's record, the bytes, a tombstone.
    auto existing_answer = std::async(std::launch::async, [&] { return find(id, record.owner); });
    auto tombstone_answer =
        std::async(std::launch::async, [&] { return client_.exists(tombstone_key(id)); });
    auto stored = client_.exists(original_key(id));
    auto existing = existing_answer.get();
    auto tombstoned = tombstone_answer.get();
    if (existing) {
        // Completes what an interrupted upload may have left out.
        if (auto marked = client_.put(owner_marker(record.owner, id), {}); !marked) {
            return tl::unexpected(marked.error());
        }
        return StoredOriginal{std::move(*existing), false};
    } else if (existing.error().code != ErrorCode::NotFound) {
        return tl::unexpected(existing.error());
    }
    if (!stored) {
        return tl::unexpected(stored.error());
    }
    if (!tombstoned) {
        return tl::unexpected(tombstoned.error());
    }
    // The bytes, then the record: each acknowledged by the store before the next is written.
    if (!*stored) {
        if (auto written = client_.put(original_key(id), bytes); !written) {
            return tl::unexpected(written.error());
        }
    }
    if (*tombstoned) {
        if (auto removed = client_.remove(tombstone_key(id)); !removed) {
            return tl::unexpected(removed.error());
        }
        if (auto changed = record_change(id, "restored"); !changed) {
            return tl::unexpected(changed.error());
        }
    }
    mark(id, false);
    stamp_new_record(record, id, bytes.size());
    const std::string json = boost::json::serialize(to_json(record));
    // The record and the marker that lists it together: a marker whose record is missing is
    // never listed (list() reads each record), and both are written before the 201.
    auto marked = std::async(std::launch::async,
                             [&] { return client_.put(owner_marker(record.owner, id), {}); });
    auto written = client_.put(record_key(id, record.owner), json);
    if (auto marker = marked.get(); !marker) {
        return tl::unexpected(marker.error());
    }
    if (!written) {
        return tl::unexpected(written.error());
    }
    bool fresh = !*stored;
    {
        std::lock_guard lock(fresh_mutex_);
        fresh = fresh_originals_.erase(id) == 1 || fresh;
    }
    if (!fresh) {
        forget(id);  // another party's original: its records are read again when needed
    } else {
        // A new original has no other records (they are written after the bytes and removed
        // before them), so the renders that follow the upload need not list them.
        remember_records(id, {record});
    }
    return StoredOriginal{std::move(record), true};
}

Expected<void> S3Store::put_bytes(std::string_view bytes) {
    const std::string id = sha256_hex(bytes);
    auto stored = client_.exists(original_key(id));
    if (!stored) {
        return tl::unexpected(stored.error());
    }
    if (*stored) {
        return {};
    }
    if (auto written = client_.put(original_key(id), bytes); !written) {
        return written;
    }
    std::lock_guard lock(fresh_mutex_);
    if (fresh_originals_.size() >= kKnownRecords) {
        fresh_originals_.clear();  // put() then only lists records it could have known
    }
    fresh_originals_.insert(id);
    return {};
}

Expected<OriginalRecord> S3Store::find(std::string_view id, std::string_view owner) const {
    if (!is_valid_id(id)) {
        return tl::unexpected(no_such_original());
    }
    auto text = client_.get(record_key(id, owner));
    if (!text) {
        return tl::unexpected(text.error());
    }
    return record_from_json(*text);
}

Expected<std::vector<std::string>> S3Store::owners_of(std::string_view id) const {
    if (!is_valid_id(id)) {
        return std::vector<std::string>{};
    }
    std::vector<std::string> owners;
    const std::string prefix = "records/" + std::string(id) + "/";
    auto keys = client_.list_all(prefix);
    if (!keys) {
        return tl::unexpected(keys.error());
    }
    for (const auto& key : *keys) {
        if (key.ends_with(".json")) {
            owners.push_back(key.substr(prefix.size(), key.size() - prefix.size() - 5));
        }
    }
    std::sort(owners.begin(), owners.end());
    return owners;
}

std::vector<OriginalRecord> S3Store::records_listed(std::string_view id) const {
    std::vector<OriginalRecord> records;
    const auto owners = owners_of(id);
    if (!owners) {
        log::warn("cannot list the records of an original in the object store",
                  {{"id", id}, {"detail", owners.error().detail}});
        return records;
    }
    for (const auto& owner : *owners) {
        auto record = find(id, owner);
        if (record) {
            records.push_back(std::move(*record));
        } else if (record.error().code != ErrorCode::NotFound) {
            log::warn("a stored record cannot be read; its owner or an admin can delete it",
                      {{"id", id}, {"owner", owner}, {"detail", record.error().detail}});
        }
    }
    remember_records(id, records);
    return records;
}

void S3Store::remember_records(std::string_view id, std::vector<OriginalRecord> records) const {
    std::lock_guard lock(records_mutex_);
    if (known_records_.size() >= kKnownRecords) {
        known_records_.clear();
    }
    known_records_[std::string(id)] = {std::move(records), std::chrono::steady_clock::now()};
}

std::vector<OriginalRecord> S3Store::records_of(std::string_view id) const {
    {
        std::lock_guard lock(records_mutex_);
        const auto known = known_records_.find(std::string(id));
        if (known != known_records_.end() &&
            std::chrono::steady_clock::now() - known->second.read_at < ttl_) {
            return known->second.records;
        }
    }
    return records_listed(id);
}

Expected<std::string> S3Store::read(std::string_view id) const {
    if (!is_valid_id(id)) {
        return tl::unexpected(no_such_original());
    }
    auto bytes = client_.get(original_key(id));
    if (bytes && sha256_hex(*bytes) != id) {
        // Content addressing checks what came back, end to end.
        return fail(ErrorCode::StorageUnavailable, "the object store gave back other bytes",
                    std::string(id));
    }
    return bytes;
}

Expected<void> S3Store::put_mezzanine(std::string_view id,
                                      int side,
                                      std::string_view bytes,
                                      bool only_while_stored) {
    if (!is_valid_id(id)) {
        return tl::unexpected(no_such_original());
    }
    if (only_while_stored) {
        auto stored = client_.exists(original_key(id));
        if (!stored) {
            return tl::unexpected(stored.error());
        }
        if (!*stored) {
            return tl::unexpected(no_such_original());
        }
    }
    if (auto written = client_.put(mezzanine_key(id, side), bytes); !written) {
        return written;
    }
    recent_.put(mezzanine_key(id, side), bytes);
    return {};
}

Expected<std::string> S3Store::read_mezzanine(std::string_view id, int side) const {
    if (!is_valid_id(id)) {
        return tl::unexpected(no_such_original());
    }
    const std::string key = mezzanine_key(id, side);
    if (auto known = recent_.get(key)) {
        return std::move(*known);
    }
    auto bytes = client_.get(key);
    if (bytes) {
        recent_.put(key, *bytes);
    }
    return bytes;
}

bool S3Store::has_mezzanine(std::string_view id, int side) const {
    if (!is_valid_id(id)) {
        return false;
    }
    if (recent_.contains(mezzanine_key(id, side))) {
        return true;
    }
    auto found = client_.exists(mezzanine_key(id, side));
    return found && *found;
}

Expected<OriginalPage> S3Store::list(std::string_view owner,
                                     std::string_view sku,
                                     std::string_view after,
                                     std::size_t limit) const {
    const std::string prefix = "owners/" + std::string(owner) + "/";
    OriginalPage page;
    std::string next;
    const std::string start = after.empty() ? std::string() : prefix + std::string(after);
    do {
        auto keys = client_.list(prefix, start, kListPage, next);
        if (!keys) {
            return tl::unexpected(keys.error());
        }
        for (const auto& key : keys->keys) {
            const std::string id = key.substr(prefix.size());
            if (!is_valid_id(id)) {
                continue;
            }
            auto record = find(id, owner);
            if (!record) {
                if (record.error().code != ErrorCode::NotFound) {
                    log::warn("a stored record cannot be read; its owner or an admin can delete it",
                              {{"id", id}, {"owner", owner}, {"detail", record.error().detail}});
                }
                continue;
            }
            if (!sku.empty() && record->sku != sku) {
                continue;
            }
            if (page.items.size() == limit) {
                page.next_after = page.items.back().id;
                return page;
            }
            page.items.push_back(std::move(*record));
        }
        next = keys->next;
    } while (!next.empty());
    return page;
}

Expected<void> S3Store::remove(std::string_view id, std::string_view owner) {
    if (!is_valid_id(id)) {
        return tl::unexpected(no_such_original());
    }
    auto held = client_.exists(record_key(id, owner));
    if (!held) {
        return tl::unexpected(held.error());
    }
    if (!*held) {
        return tl::unexpected(no_such_original());
    }
    if (auto removed = client_.remove(owner_marker(owner, id)); !removed) {
        return removed;
    }
    if (auto removed = client_.remove(record_key(id, owner)); !removed) {
        return removed;
    }
    forget(id);
    auto owners = owners_of(id);
    if (!owners) {
        return tl::unexpected(owners.error());
    }
    if (!owners->empty()) {
        return {};  // another party still has it
    }
    // Tombstone first: once the bytes are gone, renditions must already answer 410, here and
    // (through changes/) on every other origin.
    if (auto marked = client_.put(tombstone_key(id), {}); !marked) {
        return marked;
    }
    mark(id, true);
    if (auto changed = record_change(id, "deleted"); !changed) {
        return changed;
    }
    auto mezzanines = client_.list_all("mezzanines/" + std::string(id) + ".");
    if (!mezzanines) {
        return tl::unexpected(mezzanines.error());
    }
    for (const auto& key : *mezzanines) {
        if (auto removed = client_.remove(key); !removed) {
            return removed;
        }
    }
    return client_.remove(original_key(id));
}

Expected<void> S3Store::write_item(const StoredItem& item, std::string_view bytes) {
    if (item.kind == StoredItem::Kind::Product) {
        if (!is_sku(item.id) || item.owner.empty()) {
            return fail(ErrorCode::BadRequest, "a product without a valid sku", item.name());
        }
        return client_.put(product_path(item.owner, item.id), bytes);
    }
    if (!is_valid_id(item.id)) {
        return fail(ErrorCode::BadRequest, "an item without a valid id", item.name());
    }
    switch (item.kind) {
        case StoredItem::Kind::Original:
            return client_.put(original_key(item.id), bytes);
        case StoredItem::Kind::Mezzanine:
            return client_.put(mezzanine_key(item.id, item.side), bytes);
        case StoredItem::Kind::Record:
            if (auto written = client_.put(record_key(item.id, item.owner), bytes); !written) {
                return written;
            }
            return client_.put(owner_marker(item.owner, item.id), {});
        case StoredItem::Kind::Product:
            break;  // above
        case StoredItem::Kind::Tombstone:
            if (auto written = client_.put(tombstone_key(item.id), {}); !written) {
                return written;
            }
            mark(item.id, true);
            return record_change(item.id, "deleted");
    }
    return fail(ErrorCode::Internal, "an item of no known kind");
}

Expected<std::string> S3Store::read_item(const StoredItem& item) const {
    switch (item.kind) {
        case StoredItem::Kind::Original:
            return client_.get(original_key(item.id));
        case StoredItem::Kind::Mezzanine:
            return client_.get(mezzanine_key(item.id, item.side));
        case StoredItem::Kind::Record:
            return client_.get(record_key(item.id, item.owner));
        case StoredItem::Kind::Tombstone:
            return client_.get(tombstone_key(item.id));
        case StoredItem::Kind::Product:
            return client_.get(product_path(item.owner, item.id));
    }
    return fail(ErrorCode::Internal, "an item of no known kind");
}

}  // namespace imgline::storage
