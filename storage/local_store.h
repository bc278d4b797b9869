#pragma once

#include "common/expected.h"
#include "storage/original_store.h"
#include "storage/stored_item.h"

#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace imgline::storage {

/// Originals on the local disk, kept like a database keeps rows: nothing is acknowledged before
/// it is on disk (write_durably), nothing partial is ever visible. Layout under the data dir:
///   originals/<aa>/<bb>/<id>           the bytes, once per content id
///   records/<owner>/<aa>/<id>.json     each party's record of an original
///   tombstones/<aa>/<id>               ids whose last record was deleted (renditions → 410)
///   mezzanines/<aa>/<bb>/<id>.<side>   smaller upright sRGB copies to render from (optional)
///   products/<owner>/<sku>.json        products' slots (LocalProductStore; listed by inventory())
/// Paths are built only from validated ids (64 hex) and configured party names.
/// Thread-safe: operations on one id are serialised.
class LocalStore final : public OriginalStore {
public:
    /// Creates the layout under `data_dir` and removes temporaries an interrupted write left
    /// (unless `remove_leftovers` is false: a server may be writing there, as while
    /// `imgline migrate` reads a running origin's directory).
    static Expected<LocalStore> open(const std::string& data_dir, bool remove_leftovers = true);

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
    /// A set in memory (loaded at open and kept with every delete and re-upload).
    bool is_deleted(std::string_view id) const override;
    Expected<void> available() const override;

    /// Everything stored, for copying elsewhere: originals and mezzanines, then records, then
    /// tombstones (the order a copy must be made in: bytes before the records naming them).
    Expected<std::vector<StoredItem>> inventory() const;
    /// An item's bytes as stored (a record's JSON text; a tombstone's are empty).
    Expected<std::string> read_item(const StoredItem& item) const;

    /// Temporaries removed by open().
    std::size_t leftovers_removed() const {
        return leftovers_removed_;
    }

    LocalStore(LocalStore&& other) noexcept;
    LocalStore(const LocalStore&) = delete;
    LocalStore& operator=(const LocalStore&) = delete;

private:
    explicit LocalStore(std::string root) : root_(std::move(root)) {}

    std::string blob_dir(std::string_view id) const;
    std::string mezzanine_dir(std::string_view id) const;
    std::string record_dir(std::string_view owner, std::string_view id) const;
    // find(), with a record that exists but cannot be read logged.
    std::optional<OriginalRecord> readable_record(std::string_view id,
                                                  std::string_view owner) const;
    std::string tombstone_dir(std::string_view id) const;
    std::mutex& lock_for(std::string_view id) const;

    std::string root_;
    std::size_t leftovers_removed_ = 0;
    mutable std::array<std::mutex, 64> locks_;
    mutable std::mutex tombstones_mutex_;
    std::unordered_set<std::string> tombstones_;
};

}  // namespace imgline::storage
