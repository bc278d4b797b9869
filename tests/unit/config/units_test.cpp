#include "config/units.h"

#include <catch2/catch.hpp>

using namespace imgline::config;
using namespace std::chrono_literals;

TEST_CASE("durations are read with units, bare numbers are seconds", "[unit][config]") {
    CHECK(parse_duration("10s") == std::optional(10'000ms));
    CHECK(parse_duration("250ms") == std::optional(250ms));
    CHECK(parse_duration("2m") == std::optional(120'000ms));
    CHECK(parse_duration("1h") == std::optional(3'600'000ms));
    CHECK(parse_duration("30") == std::optional(30'000ms));
    for (const char* bad : {"", "s", "-1s", "1.5s", "10 days", "99999999999999999999h"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_duration(bad));
    }
    CHECK(format_duration(10'000ms) == "10s");
    CHECK(format_duration(1'500ms) == "1500ms");
}

TEST_CASE("byte sizes accept SI and binary suffixes", "[unit][config]") {
    CHECK(parse_byte_size("200KiB") == std::optional<std::uint64_t>(204800));
    CHECK(parse_byte_size("200KB") == std::optional<std::uint64_t>(200000));
    CHECK(parse_byte_size("25MiB") == std::optional<std::uint64_t>(25 * 1024 * 1024));
    CHECK(parse_byte_size("1GB") == std::optional<std::uint64_t>(1'000'000'000));
    CHECK(parse_byte_size("8192") == std::optional<std::uint64_t>(8192));
    for (const char* bad : {"", "KiB", "12 parsecs", "-5", "99999999999999999999GiB"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_byte_size(bad));
    }
    CHECK(format_byte_size(25 * 1024 * 1024) == "25MiB");
    CHECK(format_byte_size(204800) == "200KiB");
    CHECK(format_byte_size(1000) == "1000");
}

TEST_CASE("listen addresses are HOST:PORT or [V6]:PORT", "[unit][config]") {
    auto v4 = parse_listen("127.0.0.1:8080");
    REQUIRE(v4);
    CHECK(v4->host == "127.0.0.1");
    CHECK(v4->port == 8080);
    auto v6 = parse_listen("[::1]:0");
    REQUIRE(v6);
    CHECK(v6->host == "::1");
    CHECK(v6->port == 0);
    for (const char* bad : {"", "8080", ":8080", "host:", "host:99999", "::1:80", "[::1]80"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_listen(bad));
    }
}

TEST_CASE("colours and aspect ratios parse strictly", "[unit][config]") {
    auto white = parse_rgb("#ffffff");
    REQUIRE(white);
    CHECK(white->r == 255);
    auto teal = parse_rgb("008080");
    REQUIRE(teal);
    CHECK(teal->g == 128);
    CHECK_FALSE(parse_rgb("#fff"));
    CHECK_FALSE(parse_rgb("#gggggg"));
    CHECK(parse_aspect("4:3").value() == Approx(4.0 / 3.0));
    CHECK_FALSE(parse_aspect("4/3"));
    CHECK_FALSE(parse_aspect("0:1"));
    CHECK(parse_bool("yes") == std::optional(true));
    CHECK_FALSE(parse_bool("maybe"));
}
