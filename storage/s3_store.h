#pragma once

#include "storage/original_store.h"
#include "storage/recent_objects.h"
#include "storage/s3/s3_client.h"
#include "storage/stored_item.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace imgline::storage {

/// Originals in an S3-compatible bucket, shared by every origin that opens the same bucket and
/// prefix. Keys under the prefix:
///   originals/<id>                 the bytes, once per content id
///   records/<id>/<owner>.json      each party's record of an original
///   owners/<owner>/<id>            an empty marker per record, for listing a party's originals
///   tombstones/<id>                ids whose last record was deleted (renditions → 410)
///   changes/<ms>-<id>.<deleted|restored>   the order deletes and re-uploads happened in
///   mezzanines/<id>.<side>         smaller upright sRGB copies to render from
///   products/<owner>/<sku>.json    a product's slots (S3ProductStore; copied by write_item)
/// Each write is acknowledged by the store before the next is made (bytes, then record, then
/// marker), so a crash leaves at most bytes nobody refers to, which a re-upload completes.
/// Deletes made through other origins are learnt from `changes/`, read every half
/// storage.s3.consistency_ttl by a background thread, so is_deleted() never waits on the
/// network and is never wrong for longer than the TTL. Recently written or read mezzanines
/// (64 MiB) and each original's records (for the TTL) are kept in memory, so the renders after
/// an upload make no request to the store. Thread-safe.
class S3Store final : public OriginalStore {
public:
    /// Reads the tombstones and starts following changes. Fails (StorageUnavailable) when the
    /// bucket cannot be listed.
    static Expected<std::unique_ptr<S3Store>> open(config::S3Config settings,
                                                   s3::ObjectHttp http,
                                                   s3::StoreObserver observe = {});
    ~S3Store() override;

    Expected<StoredOriginal> put(std::string_view bytes, OriginalRecord record) override;
    Expected<void> put_bytes(std::string_view bytes) override;
    Expected<OriginalRecord> find(std::string_view id, std::string_view owner) const override;
    std::vector<OriginalRecord> records_of(std::string_view id) const override;
    Expected<std::vector<std::string>> owners_of(std::string_view id) const override;
    Expected<std::string> read(std::string_view id) const override;
    Expected<void> put_mezzanine(std::string_view id,
                                 int side,
                                 std::string_view bytes,
                                 bool only_while_stored) override;
    Expected<std::string> read_mezzanine(std::string_view id, int side) const override;
    bool has_mezzanine(std::string_view id, int side) const override;
    Expected<OriginalPage> list(std::string_view owner,
                                std::string_view sku,
                                std::string_view after,
                                std::size_t limit) const override;
    Expected<void> remove(std::string_view id, std::string_view owner) override;
    bool is_deleted(std::string_view id) const override;
    Expected<void> available() const override;

    /// Stores an item copied from another store as it was there (`imgline migrate`): the
    /// record's JSON text as it is, with the marker that lists it; a tombstone with the change
    /// other origins follow. Writing an item again is harmless.
    Expected<void> write_item(const StoredItem& item, std::string_view bytes);
    /// An item's bytes as stored here (to check a copy).
    Expected<std::string> read_item(const StoredItem& item) const;

    /// Reads `changes/` now (the background thread does it every half TTL).
    Expected<void> follow_changes();

private:
    S3Store(config::S3Config settings, s3::ObjectHttp http, s3::StoreObserver observe);

    Expected<void> record_change(std::string_view id, std::string_view what);
    void mark(std::string_view id, bool deleted);
    // records_of() from the store, remembered for the TTL.
    std::vector<OriginalRecord> records_listed(std::string_view id) const;
    void remember_records(std::string_view id, std::vector<OriginalRecord> records) const;
    // Drops what is remembered of `id` (its records, its mezzanines).
    void forget(std::string_view id) const;
    void follow();

    s3::S3Client client_;
    std::chrono::milliseconds ttl_;
    std::atomic<bool> reachable_{true};

    mutable std::mutex tombstones_mutex_;
    std::unordered_set<std::string> tombstones_;
    // Change keys already applied, by the millisecond they name (older ones are forgotten).
    std::map<std::string, std::int64_t> applied_;
    std::int64_t newest_change_ms_ = 0;

    // What renders ask for again and again: the mezzanines lately written or read, and each
    // original's records (for a TTL: another origin's upload of the same bytes shows within it).
    struct KnownRecords {
        std::vector<OriginalRecord> records;
        std::chrono::steady_clock::time_point read_at;
    };

    mutable RecentObjects recent_;
    // Originals this origin stored with put_bytes() whose records are not written yet: new
    // originals, for put() to know (it finds their bytes already stored).
    std::mutex fresh_mutex_;
    std::unordered_set<std::string> fresh_originals_;
    mutable std::mutex records_mutex_;
    mutable std::unordered_map<std::string, KnownRecords> known_records_;

    std::mutex follow_mutex_;
    std::condition_variable follow_wake_;
    bool stopping_ = false;
    std::thread follower_;
};

}  // namespace imgline::storage
