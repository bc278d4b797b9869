#pragma once

#include "common/expected.h"
#include "storage/original_record.h"

#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace imgline::storage {

/// The result of storing an original: its record, and whether it was new (201) or already
/// there for that party (200).
struct StoredOriginal {
    OriginalRecord record;
    bool created = false;
};

/// One page of a party's originals, in id order; `next_after` is the cursor for the next page
/// (empty on the last one).
struct OriginalPage {
    std::vector<OriginalRecord> items;
    std::string next_after;
};

/// Originals on the local disk, kept like a database keeps rows: nothing is acknowledged before
/// it is on disk (write_durably), nothing partial is ever visible. Layout under the data dir:
///   originals/<aa>/<bb>/<id>           the bytes, once per content id
///   records/<owner>/<aa>/<id>.json     each party's record of an original
///   tombstones/<aa>/<id>               ids whose last record was deleted (renditions → 410)
///   mezzanines/<aa>/<bb>/<id>.<side>   smaller upright sRGB copies to render from (optional)
/// Paths are built only from validated ids (64 hex) and configured party names.
/// Thread-safe: operations on one id are serialised.
class LocalStore {
public:
    /// Creates the layout under `data_dir` and removes temporaries an interrupted write left.
    static Expected<LocalStore> open(const std::string& data_dir);

    /// Stores `bytes` for `record.owner` (id, bytes and created_at are filled in here). The
    /// same bytes from the same party again return the existing record, created = false.
    Expected<StoredOriginal> put(std::string_view bytes, OriginalRecord record);

    /// `owner`'s record of `id`; NotFound when that party has none.
    Expected<OriginalRecord> find(std::string_view id, std::string_view owner) const;

    /// Every party's record of `id` that can be read (empty when there is none). A record file
    /// that cannot be read is logged and left out (see owners_of).
    std::vector<OriginalRecord> records_of(std::string_view id) const;

    /// Every party with a record file of `id`, readable or not: an unreadable record still
    /// keeps the original stored, and its owner or an admin can still delete it.
    std::vector<std::string> owners_of(std::string_view id) const;

    /// The original's bytes; NotFound when they are not stored.
    Expected<std::string> read(std::string_view id) const;

    /// Keeps `bytes` as the mezzanine of `id` whose long side is `side` (derived from the
    /// original, so it is written before the original's record and may be written again with
    /// the same bytes). With `only_while_stored`, NotFound instead when the original's bytes
    /// are gone (checked under the lock remove() takes, so a background write cannot leave a
    /// copy of a deleted image behind).
    Expected<void> put_mezzanine(std::string_view id,
                                 int side,
                                 std::string_view bytes,
                                 bool only_while_stored = false);

    /// The mezzanine of `id` with long side `side`; NotFound when there is none.
    Expected<std::string> read_mezzanine(std::string_view id, int side) const;

    /// True when `id` has a mezzanine with long side `side`.
    bool has_mezzanine(std::string_view id, int side) const;

    /// `owner`'s originals with ids after `after`, optionally only one SKU, at most `limit`.
    Expected<OriginalPage> list(std::string_view owner,
                                std::string_view sku,
                                std::string_view after,
                                std::size_t limit) const;

    /// Removes `owner`'s record of `id`; when no party has one left, the bytes go too and the id
    /// is tombstoned. NotFound when the party had no record.
    Expected<void> remove(std::string_view id, std::string_view owner);

    /// True once every record of `id` has been deleted. A set in memory (loaded at open and kept
    /// with every delete and re-upload), so the image routes can ask on every request.
    bool is_deleted(std::string_view id) const;

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
