#include "storage/sealed_bytes.h"

#include <cerrno>
#include <unistd.h>

#include <catch2/catch.hpp>

using imgline::storage::SealedBytes;

TEST_CASE("sealed bytes read back whole and in slices, and cannot be changed",
          "[unit][storage][sealed]") {
    std::string bytes(300'000, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes[i] = static_cast<char>(i * 7 % 251);
    }
    const auto sealed = SealedBytes::seal(bytes);
    REQUIRE(sealed);
    CHECK(sealed->size() == bytes.size());
    CHECK(sealed->read(0, sealed->size()) == bytes);
    CHECK(sealed->read(1'000, 10) == bytes.substr(1'000, 10));
    CHECK(sealed->read(bytes.size() - 5, 100) == bytes.substr(bytes.size() - 5));
    CHECK(sealed->read(bytes.size(), 1).empty());
    // The seals: no write, no shrinking, no growing, whoever holds the descriptor.
    errno = 0;
    CHECK(::pwrite(sealed->fd(), "x", 1, 0) == -1);
    CHECK(errno == EPERM);
    CHECK(::ftruncate(sealed->fd(), 10) == -1);
    CHECK(::ftruncate(sealed->fd(), 1'000'000) == -1);
    CHECK(sealed->read(0, sealed->size()) == bytes);
}

TEST_CASE("an empty rendition seals too", "[unit][storage][sealed]") {
    const auto sealed = SealedBytes::seal("");
    REQUIRE(sealed);
    CHECK(sealed->size() == 0);
    CHECK(sealed->read(0, 10).empty());
}
