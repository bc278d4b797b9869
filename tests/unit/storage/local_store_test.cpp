#include "storage/local_store.h"

#include "common/sha256.h"
#include "storage/durable_file.h"
#include "tests/support/temp_dir.h"

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::storage;
namespace fs = std::filesystem;

namespace {

OriginalRecord record_for(std::string owner, std::string sku = {}) {
    OriginalRecord record;
    record.owner = std::move(owner);
    record.owner_kind = "supplier";
    record.format = "jpeg";
    record.width = 10;
    record.height = 20;
    record.sku = std::move(sku);
    return record;
}

std::size_t files_named_like(const fs::path& root, std::string_view prefix) {
    std::size_t count = 0;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (entry.path().filename().string().starts_with(prefix)) {
            ++count;
        }
    }
    return count;
}

}  // namespace

TEST_CASE("an original is stored once under its content id and read back", "[unit][storage]") {
    test::TempDir dir;
    auto store = LocalStore::open(dir.path().string());
    REQUIRE(store);
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
    CHECK(files_named_like(dir.path(), kTemporaryPrefix) == 0);

    // Suppliers' photos and records are readable by the server's user and group only.
    namespace fs = std::filesystem;
    for (const auto& entry : fs::recursive_directory_iterator(dir.path() / "originals")) {
        CAPTURE(entry.path().string());
        const auto others = fs::status(entry.path()).permissions() & fs::perms::others_all;
        CHECK(others == fs::perms::none);
        const auto expected = entry.is_directory() ? fs::perms(0750) : fs::perms(0640);
        CHECK((fs::status(entry.path()).permissions() & fs::perms::mask) == expected);
    }
}

TEST_CASE("ids that are not 64 hex digits never reach the disk", "[unit][storage]") {
    test::TempDir dir;
    auto store = LocalStore::open(dir.path().string());
    REQUIRE(store);
    for (const char* id : {"..", "../../etc/passwd", "/etc/passwd", "", "%2e%2e",
                           "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
                           "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0"}) {
        CAPTURE(id);
        CHECK_FALSE(is_valid_id(id));
        CHECK(store->read(id).error().code == ErrorCode::NotFound);
        CHECK(store->find(id, "acme").error().code == ErrorCode::NotFound);
        CHECK(store->remove(id, "acme").error().code == ErrorCode::NotFound);
    }
}

TEST_CASE("a party's originals are listed in pages, optionally by SKU", "[unit][storage]") {
    test::TempDir dir;
    auto store = LocalStore::open(dir.path().string());
    REQUIRE(store);
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
}

TEST_CASE("deleting the last record removes the bytes and tombstones the id", "[unit][storage]") {
    test::TempDir dir;
    auto store = LocalStore::open(dir.path().string());
    REQUIRE(store);
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

    // Uploading it again brings it back.
    REQUIRE(store->put("shared photo", record_for("acme"))->created);
    CHECK_FALSE(store->is_deleted(id));
}

TEST_CASE("temporaries left by an interrupted write are removed at open and never listed",
          "[unit][storage]") {
    test::TempDir dir;
    {
        auto store = LocalStore::open(dir.path().string());
        REQUIRE(store);
        REQUIRE(store->put("kept", record_for("acme")));
    }
    const auto stray = dir.path() / "records" / "acme" / "ab";
    fs::create_directories(stray);
    std::ofstream(stray / ".tmp-123-0-42") << "half a record";
    std::ofstream(dir.path() / "originals" / ".tmp-9-9-9") << "half a photo";
    auto reopened = LocalStore::open(dir.path().string());
    REQUIRE(reopened);
    CHECK(reopened->leftovers_removed() == 2);
    CHECK(files_named_like(dir.path(), kTemporaryPrefix) == 0);
    CHECK(reopened->list("acme", "", "", 10)->items.size() == 1);
}

TEST_CASE("write_durably replaces a file whole and reports a missing directory's failure",
          "[unit][storage]") {
    test::TempDir dir;
    const std::string folder = (dir.path() / "a" / "b").string();
    REQUIRE(write_durably(folder, "f", "first"));
    REQUIRE(write_durably(folder, "f", "second, longer"));
    CHECK(read_file(folder + "/f").value() == "second, longer");
    // A path under a regular file cannot be a directory.
    std::ofstream(dir.path() / "plain") << "x";
    const auto refused = write_durably((dir.path() / "plain" / "sub").string(), "f", "x");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::StorageUnavailable);
}

TEST_CASE("a background mezzanine write never outlives a delete", "[unit][storage]") {
    test::TempDir dir;
    auto store = LocalStore::open(dir.path().string());
    REQUIRE(store);
    const std::string id = sha256_hex("a photo");
    // Before the original is stored (the upload path) a mezzanine may be written; a back-fill
    // (only_while_stored) may not.
    CHECK(store->put_mezzanine(id, 1200, "small copy"));
    REQUIRE(store->has_mezzanine(id, 1200));
    CHECK(store->put_mezzanine(id, 2400, "large copy", true).error().code == ErrorCode::NotFound);
    CHECK_FALSE(store->has_mezzanine(id, 2400));

    REQUIRE(store->put("a photo", record_for("acme")));
    CHECK(store->put_mezzanine(id, 2400, "large copy", true));
    CHECK(store->has_mezzanine(id, 2400));

    REQUIRE(store->remove(id, "acme"));
    CHECK_FALSE(store->has_mezzanine(id, 1200));
    CHECK_FALSE(store->has_mezzanine(id, 2400));
    CHECK(store->put_mezzanine(id, 1200, "small copy", true).error().code == ErrorCode::NotFound);
    CHECK(files_named_like(dir.path(), id) == 1);  // the tombstone only
}
