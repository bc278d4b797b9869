// Text checks that guard what is stored: well-formed UTF-8 and plain text.
#include "common/text.h"

#include <catch2/catch.hpp>

using namespace imgline;

TEST_CASE("UTF-8 is well-formed only as RFC 3629 writes it", "[unit][text]") {
    struct Case {
        std::string text;
        bool valid;
    };

    const Case cases[] = {
        {"", true},
        {"plain ascii", true},
        {"Caf\xC3\xA9", true},
        {"\xE5\x92\x96\xE5\x95\xA1", true},  // 咖啡
        {"\xF0\x9F\x93\xB7", true},          // U+1F4F7
        {"\xF4\x8F\xBF\xBF", true},          // U+10FFFF
        {"Caf\xE9", false},                  // Latin-1
        {"\xC0\xAF", false},                 // overlong '/'
        {"\xE0\x80\xAF", false},             // overlong, three bytes
        {"\xED\xA0\x80", false},             // a surrogate
        {"\xF4\x90\x80\x80", false},         // past U+10FFFF
        {"\xF5\x80\x80\x80", false},         // no such lead byte
        {"\xE5\x92", false},                 // cut short
        {"\xC3", false},                     // cut short
        {"\xC3\x28", false},                 // continuation missing
        {std::string("a\0b", 3), true},      // valid, though not plain
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        CHECK(is_valid_utf8(c.text) == c.valid);
    }
}

TEST_CASE("plain text is valid UTF-8 without control characters", "[unit][text]") {
    CHECK(is_plain_text("Caf\xC3\xA9 \xE5\x92\x96\xE5\x95\xA1 - 50% off!"));
    CHECK_FALSE(is_plain_text("tab\there"));
    CHECK_FALSE(is_plain_text("line\r\nbreak"));
    CHECK_FALSE(is_plain_text(std::string("nul\0", 4)));
    CHECK_FALSE(is_plain_text("del\x7F"));
    CHECK_FALSE(is_plain_text("c1 \xC2\x85 next line"));
    CHECK(is_plain_text("nbsp\xC2\xA0ok"));
    CHECK_FALSE(is_plain_text("Caf\xE9"));
}
