#include "pipeline/icc_profile.h"

#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

using namespace imgline::pipeline;

namespace {

void put32(std::string& bytes, std::size_t at, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) {
        bytes[at + i] = static_cast<char>((value >> (24 - 8 * i)) & 0xff);
    }
}

// A profile with one 'desc' tag holding `tag` (the tag's own bytes).
std::string profile_with(const std::string& tag) {
    std::string bytes(128 + 4 + 12, '\0');
    put32(bytes, 128, 1);
    bytes.replace(132, 4, "desc");
    put32(bytes, 136, static_cast<std::uint32_t>(bytes.size()));
    put32(bytes, 140, static_cast<std::uint32_t>(tag.size()));
    return bytes + tag;
}

std::string v2_desc(const std::string& text) {
    std::string tag = "desc" + std::string(4, '\0') + std::string(4, '\0') + text + '\0';
    put32(tag, 8, static_cast<std::uint32_t>(text.size() + 1));
    return tag;
}

std::string v4_mluc(const std::string& text) {
    std::string tag = "mluc" + std::string(24, '\0');
    put32(tag, 8, 1);
    put32(tag, 12, 12);
    tag.replace(16, 4, "enUS");
    put32(tag, 20, static_cast<std::uint32_t>(text.size() * 2));
    put32(tag, 24, 28);
    for (char c : text) {
        tag.push_back('\0');
        tag.push_back(c);
    }
    return tag;
}

}  // namespace

TEST_CASE("ICC descriptions are read from v2 and v4 profiles", "[unit][icc]") {
    CHECK(icc_description(profile_with(v2_desc("sRGB IEC61966-2.1"))) == "sRGB IEC61966-2.1");
    CHECK(icc_description(profile_with(v4_mluc("Display P3"))) == "Display P3");
    CHECK(describes_srgb("sRGB IEC61966-2.1"));
    CHECK(describes_srgb("sRGB built-in"));
    CHECK_FALSE(describes_srgb("Display P3"));
    CHECK_FALSE(describes_srgb(""));
}

TEST_CASE("damaged profiles give no description instead of reading past the end", "[unit][icc]") {
    CHECK(icc_description("").empty());
    CHECK(icc_description(std::string(130, 'x')).empty());
    std::string lying = profile_with(v2_desc("Adobe RGB (1998)"));
    put32(lying, 140, 1'000'000);  // the tag claims to be far larger than the file
    CHECK(icc_description(lying).empty());
    std::string many = profile_with(v2_desc("x"));
    put32(many, 128, 0xffffffff);  // absurd tag count: stops at the end of the bytes
    CHECK(icc_description(many) == "x");
    std::string bad_mluc = profile_with(v4_mluc("P3"));
    put32(bad_mluc, 144 + 24, 0xfffffff0);  // the record's offset points outside the tag
    CHECK(icc_description(bad_mluc).empty());
}
