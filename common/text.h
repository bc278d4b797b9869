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

}  // namespace imgline
