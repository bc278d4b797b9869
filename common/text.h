#pragma once

#include <string>
#include <string_view>

namespace imgline {

/// `text` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view text);

/// ASCII lower case.
std::string lower(std::string_view text);

/// ASCII case-insensitive equality (HTTP header names, media types, schemes).
bool equals_ignoring_case(std::string_view a, std::string_view b);

/// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF.
bool is_valid_utf8(std::string_view text);

/// Text fit to store and show: valid UTF-8 without control characters (C0, DEL or C1).
bool is_plain_text(std::string_view text);

}  // namespace imgline
