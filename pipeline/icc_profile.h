#pragma once

#include <string>
#include <string_view>

namespace imgline::pipeline {

/// The human-readable description of an ICC profile (its 'desc' tag, ICC v2 text or v4
/// multi-localised Unicode, first record), or "" when the bytes are not a readable profile.
/// Pure, bounds-checked: the bytes come from client files.
std::string icc_description(std::string_view profile);

/// True when a profile description names sRGB (e.g. "sRGB IEC61966-2.1", "sRGB built-in").
bool describes_srgb(std::string_view description);

}  // namespace imgline::pipeline
