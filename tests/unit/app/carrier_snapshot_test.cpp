#include "app/carrier_directory.h"
#include "tests/support/corpus.h"

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::app;

TEST_CASE("a carrier list snapshot date reads as a day, and its age in days", "[unit][carriers]") {
    CHECK(snapshot_unix_seconds("2026-02-16") == 1'771'200'000);
    CHECK(snapshot_unix_seconds("1970-01-01") == 0);
    const std::int64_t noon_next_day = 1'771'200'000 + 86'400 + 43'200;
    CHECK(snapshot_age_days("2026-02-16", noon_next_day) == 1);
    CHECK(snapshot_age_days("2026-02-16", 1'771'200'000 + 91 * 86'400) == 91);
    for (const char* bad : {"", "2026-02-30", "2026-13-01", "16.02.2026", "2026-02-16x", "soon"}) {
        CAPTURE(bad);
        CHECK_FALSE(snapshot_unix_seconds(bad));
        CHECK_FALSE(snapshot_age_days(bad, noon_next_day));
    }
}

TEST_CASE("loading the shipped lists reports their snapshot date", "[unit][carriers]") {
    config::CarriersConfig settings;
    settings.data_dir = test::carrier_lists_dir().string();
    CarrierDirectory carriers(settings);
    CHECK(carriers.snapshot().empty());  // nothing loaded yet
    const CarrierLoad load = carriers.load();
    REQUIRE(load.swapped);
    CHECK(load.problems.empty());
    CHECK(snapshot_unix_seconds(load.snapshot));
    CHECK(carriers.snapshot() == load.snapshot);
    const std::string file = test::read_bytes(test::carrier_lists_dir() / "SNAPSHOT");
    CHECK(file == load.snapshot + "\n");
}
