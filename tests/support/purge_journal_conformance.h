#pragma once

// What every PurgeJournal must do, written once and run against each implementation with two
// handles on one journal (a restarted origin, or a second origin on the same store).
#include "storage/purge_journal.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace imgline::test::conformance {

/// Entries recorded through either handle are pending for both, per edge and oldest first; one
/// dropped by both (two origins sent it) is gone for both; later entries sort after older ones.
inline void check_purge_journal(storage::PurgeJournal& first, storage::PurgeJournal& second) {
    using Paths = std::vector<std::string>;
    REQUIRE(first.record({"ct", "cu"}, {"/i/a/main", "/i/a/main.jpg"}));
    REQUIRE(second.record({"ct"}, {"/i/b/main"}));
    const auto ct = second.pending("ct");
    REQUIRE(ct.size() == 2);
    CHECK(ct[0].paths == Paths{"/i/a/main", "/i/a/main.jpg"});
    CHECK(ct[1].paths == Paths{"/i/b/main"});
    CHECK(first.pending("cu").size() == 1);
    CHECK(first.pending("cm").empty());

    REQUIRE(first.done(ct[0]));
    REQUIRE(second.done(ct[0]));  // sent by both: dropping it twice is fine
    const auto left = first.pending("ct");
    REQUIRE(left.size() == 1);
    CHECK(left[0].paths == Paths{"/i/b/main"});
    CHECK(second.pending("cu").size() == 1);

    REQUIRE(second.record({"ct"}, {"/i/c/main"}));
    const auto later = first.pending("ct");
    REQUIRE(later.size() == 2);
    CHECK(later[1].paths == Paths{"/i/c/main"});  // after the older entry
}

}  // namespace imgline::test::conformance
