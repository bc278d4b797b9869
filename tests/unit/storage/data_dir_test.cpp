#include "storage/data_dir.h"

#include "tests/support/temp_dir.h"

#include <fstream>

#include <catch2/catch.hpp>

using namespace imgline;

TEST_CASE("the data directory is created with its parents and probed without leftovers",
          "[unit][storage]") {
    test::TempDir root;
    const auto nested = (root.path() / "a" / "b" / "data").string();
    REQUIRE(storage::prepare_data_dir(nested));
    REQUIRE(storage::probe_writable(nested));
    CHECK(std::filesystem::is_empty(nested));
    const auto others =
        std::filesystem::status(nested).permissions() & std::filesystem::perms::others_all;
    CHECK(others == std::filesystem::perms::none);
}

TEST_CASE("a data directory that is a file, or gone, is reported unavailable", "[unit][storage]") {
    test::TempDir root;
    const auto file = root.path() / "not-a-dir";
    std::ofstream(file) << "x";
    const auto prepared = storage::prepare_data_dir(file.string());
    REQUIRE_FALSE(prepared);
    CHECK(prepared.error().code == ErrorCode::StorageUnavailable);
    const auto probed = storage::probe_writable((root.path() / "missing").string());
    REQUIRE_FALSE(probed);
    CHECK(probed.error().code == ErrorCode::StorageUnavailable);
    CHECK(probed.error().public_message.find(root.path().string()) == std::string::npos);
}
