#pragma once
// Helpers the fuzz targets share: the input as text, and split at its first newline (several
// targets take two strings, e.g. a Content-Type and a body).

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace imgline::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// The text before the first '\n' and the text after it (all of it and "" when there is none).
inline std::pair<std::string_view, std::string_view> split_first_line(std::string_view text) {
    const auto newline = text.find('\n');
    if (newline == std::string_view::npos) {
        return {text, {}};
    }
    return {text.substr(0, newline), text.substr(newline + 1)};
}

}  // namespace imgline::fuzz
