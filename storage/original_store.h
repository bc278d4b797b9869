#pragma once

#include "common/expected.h"
#include "storage/original_record.h"

#include <string>
#include <string_view>
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

/// Where originals, each party's records of them, tombstones and mezzanines are kept: what the
/// handlers and services need from storage, whatever holds it (LocalStore: a local disk;
/// S3Store: an S3-compatible object store shared by several origins). Every implementation
/// passes the same conformance tests (tests/unit/storage/original_store_conformance.h).
///
/// Promises: nothing is acknowledged before it is stored durably, and nothing partial is ever
/// visible; the bytes are stored once per content id (the SHA-256 of the bytes), so uploading
/// the same bytes again is idempotent; ids reaching a store are validated (64 hex).
/// Thread-safe.
class OriginalStore {
public:
    virtual ~OriginalStore() = default;

    /// Stores `bytes` for `record.owner` (id, bytes and created_at are filled in here). The
    /// same bytes from the same party again return the existing record, created = false.
    virtual Expected<StoredOriginal> put(std::string_view bytes, OriginalRecord record) = 0;

    /// Stores the bytes of an original about to be put(), so a caller can overlap this write
    /// with other work (the upload makes mezzanines meanwhile); put() then finds them stored.
    /// Content-addressed, so storing them again is harmless; bytes whose record never follows
    /// are what a crash between the two writes leaves too, and a later upload completes them.
    virtual Expected<void> put_bytes(std::string_view bytes) = 0;

    /// `owner`'s record of `id`; NotFound when that party has none.
    virtual Expected<OriginalRecord> find(std::string_view id, std::string_view owner) const = 0;

    /// Every party's record of `id` that can be read (empty when there is none). A record that
    /// cannot be read is logged and left out (see owners_of).
    virtual std::vector<OriginalRecord> records_of(std::string_view id) const = 0;

    /// Every party with a record of `id`, readable or not: an unreadable record still keeps the
    /// original stored, and its owner or an admin can still delete it. Empty when there is
    /// none; StorageUnavailable when the store cannot tell now.
    virtual Expected<std::vector<std::string>> owners_of(std::string_view id) const = 0;

    /// The original's bytes; NotFound when they are not stored.
    virtual Expected<std::string> read(std::string_view id) const = 0;

    /// Keeps `bytes` as the mezzanine of `id` whose long side is `side` (derived from the
    /// original, so it is written before the original's record and may be written again with
    /// the same bytes). With `only_while_stored`, NotFound instead when the original's bytes
    /// are gone, so a background write cannot leave a copy of a deleted image behind.
    virtual Expected<void> put_mezzanine(std::string_view id,
                                         int side,
                                         std::string_view bytes,
                                         bool only_while_stored = false) = 0;

    /// The mezzanine of `id` with long side `side`; NotFound when there is none.
    virtual Expected<std::string> read_mezzanine(std::string_view id, int side) const = 0;

    /// True when `id` has a mezzanine with long side `side`.
    virtual bool has_mezzanine(std::string_view id, int side) const = 0;

    /// `owner`'s originals with ids after `after`, optionally only one SKU, at most `limit`.
    virtual Expected<OriginalPage> list(std::string_view owner,
                                        std::string_view sku,
                                        std::string_view after,
                                        std::size_t limit) const = 0;

    /// Removes `owner`'s record of `id`; when no party has one left, the bytes go too and the id
    /// is tombstoned. NotFound when the party had no record.
    virtual Expected<void> remove(std::string_view id, std::string_view owner) = 0;

    /// True once every record of `id` has been deleted (renditions of it answer 410). Cheap
    /// enough for the image routes to ask on every request.
    virtual bool is_deleted(std::string_view id) const = 0;

    /// Whether the store can be used now (what /readyz reports): the disk takes writes, or the
    /// object store answered the last request made to it. Cheap; never waits on the network.
    virtual Expected<void> available() const = 0;
};

}  // namespace imgline::storage
