#include "storage/local_store.h"

#include "common/sha256.h"
#include "storage/durable_file.h"
#include "tests/support/original_store_conformance.h"
#include "tests/support/temp_dir.h"

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::storage;
namespace fs = std::filesystem;

namespace {

using test::conformance::record_for;

/// A local store in a temporary directory; each open() is a fresh LocalStore on it, as after
/// a restart.
struct LocalStoreMaker {
    test::TempDir dir;

    std::unique_ptr<OriginalStore> open() {
        auto store = LocalStore::open(dir.path().string());
        REQUIRE(store);
        return std::make_unique<LocalStore>(std::move(*store));
    }
};

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

IMGLINE_ORIGINAL_STORE_CONFORMANCE(LocalStoreMaker, "[unit][storage][conformance]")

TEST_CASE("suppliers' photos and records are readable by the server's user and group only",
          "[unit][storage]") {
    test::TempDir dir;
    auto store = LocalStore::open(dir.path().string());
    REQUIRE(store);
    REQUIRE(store->put("pretend these are JPEG bytes", record_for("acme", "SKU-1")));
    CHECK(files_named_like(dir.path(), kTemporaryPrefix) == 0);
    for (const auto& entry : fs::recursive_directory_iterator(dir.path() / "originals")) {
        CAPTURE(entry.path().string());
        const auto others = fs::status(entry.path()).permissions() & fs::perms::others_all;
        CHECK(others == fs::perms::none);
        const auto expected = entry.is_directory() ? fs::perms(0750) : fs::perms(0640);
        CHECK((fs::status(entry.path()).permissions() & fs::perms::mask) == expected);
    }
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

TEST_CASE("a deleted original leaves only its tombstone on the disk", "[unit][storage]") {
    test::TempDir dir;
    auto store = LocalStore::open(dir.path().string());
    REQUIRE(store);
    const std::string id = sha256_hex("a photo");
    REQUIRE(store->put_mezzanine(id, 1200, "small copy", false));
    REQUIRE(store->put("a photo", record_for("acme")));
    REQUIRE(store->put_mezzanine(id, 2400, "large copy", true));
    REQUIRE(store->remove(id, "acme"));
    CHECK(files_named_like(dir.path(), id) == 1);  // the tombstone only
}
