#include "server/spooled_bytes.h"

#include "tests/support/temp_dir.h"

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::server;
namespace fs = std::filesystem;

namespace {

std::size_t open_descriptors() {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/fd")) {
        ++count;
    }
    return count;
}

std::size_t entries(const fs::path& dir) {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) {
        ++count;
    }
    return count;
}

}  // namespace

TEST_CASE("a body under the memory limit stays in memory", "[unit][spooled]") {
    test::TempDir dir;
    const std::string spool = dir.path().string();
    SpooledBytes body;
    body.spool_to(spool, 16);
    REQUIRE(body.expect(10));
    REQUIRE(body.append("hello "));
    REQUIRE(body.append("world"));
    REQUIRE(body.finish());
    CHECK_FALSE(body.on_disk());
    CHECK(body.view() == "hello world");
    CHECK(body.size() == 11);
}

TEST_CASE("without a spool directory everything is held in memory", "[unit][spooled]") {
    SpooledBytes body;
    REQUIRE(body.expect(std::nullopt));
    REQUIRE(body.append(std::string(100000, 'a')));
    REQUIRE(body.finish());
    CHECK_FALSE(body.on_disk());
    CHECK(body.view() == std::string(100000, 'a'));
}

TEST_CASE("a body of unknown length moves to an unnamed file when it outgrows memory",
          "[unit][spooled]") {
    test::TempDir dir;
    const std::string spool = dir.path().string();
    const auto before = open_descriptors();
    {
        SpooledBytes body;
        body.spool_to(spool, 8);
        REQUIRE(body.expect(std::nullopt));
        REQUIRE(body.append("12345"));
        CHECK_FALSE(body.on_disk());
        REQUIRE(body.append("67890abc"));
        CHECK(body.on_disk());
        REQUIRE(body.append(std::string(1 << 20, 'z')));
        REQUIRE(body.finish());
        CHECK(body.size() == 13 + (1 << 20));
        CHECK(body.view() == "1234567890abc" + std::string(1 << 20, 'z'));
        // Unnamed: nothing in the directory, whatever happens to the process.
        CHECK(entries(dir.path()) == 0);
        CHECK(open_descriptors() == before + 1);

        SpooledBytes moved = std::move(body);
        CHECK(moved.view().substr(0, 13) == "1234567890abc");
        CHECK(body.view().empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
    }
    CHECK(open_descriptors() == before);  // closed and unmapped with the body
}

TEST_CASE("a body known to be large goes to a file from its first byte", "[unit][spooled]") {
    test::TempDir dir;
    const std::string spool = dir.path().string();
    SpooledBytes body;
    body.spool_to(spool, 8);
    REQUIRE(body.expect(9));
    CHECK(body.on_disk());
    REQUIRE(body.append("123456789"));
    REQUIRE(body.finish());
    CHECK(body.view() == "123456789");

    SpooledBytes empty;
    empty.spool_to(spool, 0);
    REQUIRE(empty.expect(1));
    REQUIRE(empty.finish());  // a client that sent nothing: an empty view, no mapping
    CHECK(empty.view().empty());
}

TEST_CASE("a spool directory that cannot take files is reported, not crashed on",
          "[unit][spooled]") {
    test::TempDir dir;
    const std::string missing = (dir.path() / "missing").string();
    SpooledBytes body;
    body.spool_to(missing, 4);
    CHECK(body.append("1234"));  // still in memory
    CHECK_FALSE(body.append("5"));
    CHECK(body.failure().find("temporary file") != std::string::npos);
    CHECK(body.failure_errno() == ENOENT);
    CHECK_FALSE(body.append("6"));
    CHECK_FALSE(body.finish());
}
