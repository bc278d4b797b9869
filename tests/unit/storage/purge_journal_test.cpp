#include "storage/local_purge_journal.h"
#include "tests/support/purge_journal_conformance.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

using namespace imgline;

TEST_CASE("purges are journalled per edge, in order, and survive a restart",
          "[unit][storage][purge]") {
    test::TempDir dir;
    storage::LocalPurgeJournal journal(dir.path().string());
    storage::LocalPurgeJournal reopened(dir.path().string());  // as after a crash
    test::conformance::check_purge_journal(journal, reopened);
}
