#include "storage/local_purge_journal.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

using namespace imgline;

TEST_CASE("purges are journalled per edge, in order, and survive a restart",
          "[unit][storage][purge]") {
    test::TempDir dir;
    {
        storage::LocalPurgeJournal journal(dir.path().string());
        REQUIRE(journal.record({"ct", "cu"}, {"/i/a/main", "/i/a/main.jpg"}));
        REQUIRE(journal.record({"ct"}, {"/i/b/main"}));
        const auto ct = journal.pending("ct");
        REQUIRE(ct.size() == 2);
        CHECK(ct[0].paths == std::vector<std::string>{"/i/a/main", "/i/a/main.jpg"});
        CHECK(ct[1].paths == std::vector<std::string>{"/i/b/main"});
        REQUIRE(journal.done(ct[0]));
        CHECK(journal.pending("cm").empty());
    }
    storage::LocalPurgeJournal reopened(dir.path().string());  // as after a crash
    const auto ct = reopened.pending("ct");
    REQUIRE(ct.size() == 1);
    CHECK(ct[0].paths == std::vector<std::string>{"/i/b/main"});
    CHECK(reopened.pending("cu").size() == 1);
    REQUIRE(reopened.record({"ct"}, {"/i/c/main"}));
    const auto later = reopened.pending("ct");
    REQUIRE(later.size() == 2);
    CHECK(later[1].paths == std::vector<std::string>{"/i/c/main"});  // after the older entry
}
