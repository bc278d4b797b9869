#pragma once

// What every OriginalStore must do, written once and run against each implementation:
//   IMGLINE_ORIGINAL_STORE_CONFORMANCE(LocalStoreMaker, "[unit][storage][local]")
// A Maker is default-constructible, owns whatever backs the store (a temporary directory, a
// bucket prefix) and gives a fresh handle on that same backing from each open(), as a restarted
// or second origin would see it.
#include "common/sha256.h"
#include "storage/original_store.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace imgline::test::conformance {

inline storage::OriginalRecord record_for(std::string owner, std::string sku = {}) {
    storage::OriginalRecord record;
    record.owner = std::move(owner);
    record.owner_kind = "supplier";
    record.format = "jpeg";
    record.width = 10;
    record.height = 20;
    record.sku = std::move(sku);
    return record;
}

template <class Maker>
void stored_once_and_read_back() {
    Maker maker;
    auto store = maker.open();
    const std::string bytes = "pretend these are JPEG bytes";
    const auto first = store->put(bytes, record_for("acme", "SKU-1"));
    REQUIRE(first);
    CHECK(first->created);
    CHECK(first->record.id == sha256_hex(bytes));
    CHECK(first->record.bytes == bytes.size());
    CHECK_FALSE(first->record.created_at.empty());
    CHECK(store->read(first->record.id).value() == bytes);

    const auto again = store->put(bytes, record_for("acme", "OTHER"));
    REQUIRE(again);
    CHECK_FALSE(again->created);
    CHECK(again->record.sku == "SKU-1");  // the first record stands; nothing is duplicated

    const auto found = store->find(first->record.id, "acme");
    REQUIRE(found);
    CHECK(found->sku == "SKU-1");
    CHECK(store->find(first->record.id, "shop1").error().code == ErrorCode::NotFound);
    CHECK(store->owners_of(first->record.id).value() == std::vector<std::string>{"acme"});

    // Another party's upload of the same bytes is its own record of the same original.
    const auto shop = store->put(bytes, record_for("shop1"));
    REQUIRE(shop);
    CHECK(shop->created);
    CHECK(shop->record.id == first->record.id);
    CHECK(store->records_of(first->record.id).size() == 2);

    // What was acknowledged is there for another handle on the same backing.
    auto other = maker.open();
    CHECK(other->read(first->record.id).value() == bytes);
    CHECK(other->find(first->record.id, "acme")->sku == "SKU-1");
    CHECK(other->put(bytes, record_for("acme"))->created == false);

    // Bytes stored ahead of their record: nobody has them until put(), which then finds them.
    const std::string ahead = "bytes stored while the mezzanines are made";
    REQUIRE(store->put_bytes(ahead));
    REQUIRE(store->put_bytes(ahead));  // again: harmless
    CHECK(store->owners_of(sha256_hex(ahead)).value().empty());
    const auto completed = store->put(ahead, record_for("acme"));
    REQUIRE(completed);
    CHECK(completed->created);
    CHECK(store->records_of(completed->record.id).size() == 1);
    CHECK(other->read(completed->record.id).value() == ahead);
}

template <class Maker>
void refuses_invalid_ids() {
    Maker maker;
    auto store = maker.open();
    for (const char* id : {"..", "../../etc/passwd", "/etc/passwd", "", "%2e%2e",
                           "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
                           "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0"}) {
        CAPTURE(id);
        CHECK(store->read(id).error().code == ErrorCode::NotFound);
        CHECK(store->find(id, "acme").error().code == ErrorCode::NotFound);
        CHECK(store->remove(id, "acme").error().code == ErrorCode::NotFound);
        CHECK(store->records_of(id).empty());
        CHECK_FALSE(store->has_mezzanine(id, 1200));
    }
}

template <class Maker>
void lists_in_pages_by_sku() {
    Maker maker;
    auto store = maker.open();
    for (int i = 0; i < 7; ++i) {
        REQUIRE(
            store->put("photo " + std::to_string(i), record_for("acme", i % 2 ? "odd" : "even")));
    }
    REQUIRE(store->put("someone else's", record_for("shop1")));
    std::vector<std::string> seen;
    std::string after;
    do {
        auto page = store->list("acme", "", after, 3);
        REQUIRE(page);
        CHECK(page->items.size() <= 3);
        for (const auto& record : page->items) {
            seen.push_back(record.id);
        }
        after = page->next_after;
    } while (!after.empty());
    CHECK(seen.size() == 7);
    CHECK(std::is_sorted(seen.begin(), seen.end()));
    CHECK(store->list("acme", "odd", "", 100)->items.size() == 3);
    CHECK(store->list("nobody", "", "", 100)->items.empty());
    CHECK(store->list("shop1", "", "", 100)->items.size() == 1);
}

template <class Maker>
void deleting_the_last_record_tombstones() {
    Maker maker;
    auto store = maker.open();
    const auto stored = store->put("shared photo", record_for("acme"));
    REQUIRE(stored);
    REQUIRE(store->put("shared photo", record_for("shop1")));
    const std::string id = stored->record.id;
    CHECK(store->records_of(id).size() == 2);

    REQUIRE(store->remove(id, "acme"));
    CHECK_FALSE(store->is_deleted(id));  // shop1 still has it
    CHECK(store->read(id));
    CHECK(store->remove(id, "acme").error().code == ErrorCode::NotFound);

    REQUIRE(store->remove(id, "shop1"));
    CHECK(store->is_deleted(id));
    CHECK(store->read(id).error().code == ErrorCode::NotFound);
    CHECK(store->records_of(id).empty());
    CHECK(maker.open()->is_deleted(id));  // the tombstone is kept, not only remembered

    // Uploading it again brings it back.
    REQUIRE(store->put("shared photo", record_for("acme"))->created);
    CHECK_FALSE(store->is_deleted(id));
    CHECK_FALSE(maker.open()->is_deleted(id));
}

template <class Maker>
void mezzanines_never_outlive_a_delete() {
    Maker maker;
    auto store = maker.open();
    const std::string id = sha256_hex("a photo");
    // Before the original is stored (the upload path) a mezzanine may be written; a back-fill
    // (only_while_stored) may not.
    CHECK(store->put_mezzanine(id, 1200, "small copy"));
    REQUIRE(store->has_mezzanine(id, 1200));
    CHECK(store->read_mezzanine(id, 1200).value() == "small copy");
    CHECK(store->put_mezzanine(id, 2400, "large copy", true).error().code == ErrorCode::NotFound);
    CHECK_FALSE(store->has_mezzanine(id, 2400));

    REQUIRE(store->put("a photo", record_for("acme")));
    CHECK(store->put_mezzanine(id, 2400, "large copy", true));
    CHECK(store->has_mezzanine(id, 2400));

    REQUIRE(store->remove(id, "acme"));
    CHECK_FALSE(store->has_mezzanine(id, 1200));
    CHECK_FALSE(store->has_mezzanine(id, 2400));
    CHECK(store->read_mezzanine(id, 1200).error().code == ErrorCode::NotFound);
    CHECK(store->put_mezzanine(id, 1200, "small copy", true).error().code == ErrorCode::NotFound);
}

}  // namespace imgline::test::conformance

// The conformance cases as Catch2 test cases for one Maker.
#define IMGLINE_ORIGINAL_STORE_CONFORMANCE(Maker, tags)                                            \
    TEST_CASE(#Maker ": an original is stored once under its content id and read back", tags) {    \
        imgline::test::conformance::stored_once_and_read_back<Maker>();                            \
    }                                                                                              \
    TEST_CASE(#Maker ": ids that are not 64 hex digits are never looked up", tags) {               \
        imgline::test::conformance::refuses_invalid_ids<Maker>();                                  \
    }                                                                                              \
    TEST_CASE(#Maker ": a party's originals are listed in pages, optionally by SKU", tags) {       \
        imgline::test::conformance::lists_in_pages_by_sku<Maker>();                                \
    }                                                                                              \
    TEST_CASE(#Maker ": deleting the last record removes the bytes and tombstones the id", tags) { \
        imgline::test::conformance::deleting_the_last_record_tombstones<Maker>();                  \
    }                                                                                              \
    TEST_CASE(#Maker ": a background mezzanine write never outlives a delete", tags) {             \
        imgline::test::conformance::mezzanines_never_outlive_a_delete<Maker>();                    \
    }
