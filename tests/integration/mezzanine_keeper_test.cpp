// The mezzanine keeper's back-fill on a real store and a real worker thread: queued once per
// image, done, and never queued again for an image whose mezzanines could not be written.
#include "app/mezzanine_keeper.h"

#include "common/sha256.h"
#include "config/config.h"
#include "storage/local_store.h"
#include "tests/support/corpus.h"
#include "tests/support/temp_dir.h"

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

using namespace imgline;

namespace {

storage::OriginalRecord record_of_size(int width, int height) {
    storage::OriginalRecord record;
    record.owner = "acme";
    record.owner_kind = "supplier";
    record.format = "jpeg";
    record.width = width;
    record.height = height;
    return record;
}

}  // namespace

TEST_CASE("a back-fill is queued once, makes the mezzanines, and a failed one is not retried",
          "[integration][mezzanines]") {
    test::ensure_vips();
    test::TempDir dir;
    auto store = storage::LocalStore::open(dir.path().string());
    REQUIRE(store);
    const config::Config config = config::builtin_config();  // mezzanines at 2400 and 1200
    app::MezzanineKeeper keeper(config, *store);

    const std::string photo =
        test::read_bytes(test::data_dir() / "corpus" / "bimg__test_exif_full.jpg");
    const std::string id = sha256_hex(photo);
    REQUIRE(store->put(photo, record_of_size(4032, 3024)));
    {
        WorkerPool pool({1, 8, {}, false});
        CHECK(keeper.backfill(id, pool));
        CHECK_FALSE(keeper.backfill(id, pool));  // already queued or running
        pool.shutdown();                         // runs it
    }
    CHECK(store->has_mezzanine(id, 2400));
    CHECK(store->has_mezzanine(id, 1200));
    {
        WorkerPool pool({1, 8, {}, false});
        CHECK_FALSE(keeper.backfill(id, pool));  // has them now
        // Smaller than the smallest mezzanine: none is due.
        const std::string small =
            test::read_bytes(test::data_dir() / "corpus" / "rembg__cloth-1.jpg");
        REQUIRE(store->put(small, record_of_size(739, 1134)));
        CHECK_FALSE(keeper.backfill(sha256_hex(small), pool));
    }

    // Another original whose mezzanines cannot be written: a file stands where their folder
    // would be.
    const std::string other =
        test::read_bytes(test::data_dir() / "corpus" / "lomiri__Dragonfly_by_Bolly.jpg");
    const std::string other_id = sha256_hex(other);
    REQUIRE(store->put(other, record_of_size(4224, 3168)));
    const auto blocked = dir.path() / "mezzanines" / other_id.substr(0, 2);
    std::filesystem::remove_all(blocked);
    std::ofstream(blocked) << "not a folder";
    {
        WorkerPool pool({1, 8, {}, false});
        CHECK(keeper.backfill(other_id, pool));
        pool.shutdown();
    }
    CHECK_FALSE(store->has_mezzanine(other_id, 1200));
    WorkerPool pool({1, 8, {}, false});
    CHECK_FALSE(keeper.backfill(other_id, pool));  // failed once: not again
}
