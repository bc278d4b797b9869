#include "pipeline/icc_profile.h"

#include "common/text.h"

#include <cstdint>

namespace imgline::pipeline {
namespace {

constexpr std::size_t kHeaderBytes = 128;
constexpr std::size_t kTagEntryBytes = 12;
constexpr std::size_t kMaxDescription = 200;

std::uint32_t big_endian32(std::string_view bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
    }
    return value;
}

bool fits(std::string_view bytes, std::size_t at, std::size_t length) {
    return at <= bytes.size() && length <= bytes.size() - at;
}

// Printable ASCII only: the text ends up in JSON reports and terminal tables.
std::string printable(std::string text) {
    std::string clean;
    for (char c : text) {
        if (c == '\0') {
            break;
        }
        if (c >= 0x20 && c < 0x7f && clean.size() < kMaxDescription) {
            clean.push_back(c);
        }
    }
    return std::string(trim(clean));
}

// ICC v2 'desc': type, reserved, ASCII count (with its NUL), ASCII text.
std::string text_description(std::string_view tag) {
    if (!fits(tag, 8, 4)) {
        return "";
    }
    const std::uint32_t count = big_endian32(tag, 8);
    const std::size_t length = std::min<std::size_t>(count, tag.size() - 12);
    return printable(std::string(tag.substr(12, length)));
}

// ICC v4 'mluc': records of (language, country, length, offset) over UTF-16BE text.
std::string unicode_description(std::string_view tag) {
    if (!fits(tag, 16, 12) || big_endian32(tag, 8) == 0) {
        return "";
    }
    const std::uint32_t length = big_endian32(tag, 20);
    const std::uint32_t offset = big_endian32(tag, 24);
    if (!fits(tag, offset, length)) {
        return "";
    }
    std::string text;
    for (std::size_t i = 0; i + 1 < length; i += 2) {
        const auto high = static_cast<unsigned char>(tag[offset + i]);
        const auto low = static_cast<unsigned char>(tag[offset + i + 1]);
        text.push_back(high == 0 ? static_cast<char>(low) : '?');
    }
    return printable(std::move(text));
}

}  // namespace

std::string icc_description(std::string_view profile) {
    if (!fits(profile, kHeaderBytes, 4)) {
        return "";
    }
    const std::uint32_t tags = big_endian32(profile, kHeaderBytes);
    for (std::uint32_t i = 0; i < tags; ++i) {
        const std::size_t entry = kHeaderBytes + 4 + i * kTagEntryBytes;
        if (!fits(profile, entry, kTagEntryBytes)) {
            return "";
        }
        if (profile.substr(entry, 4) != "desc") {
            continue;
        }
        const std::uint32_t offset = big_endian32(profile, entry + 4);
        const std::uint32_t size = big_endian32(profile, entry + 8);
        if (!fits(profile, offset, size) || size < 12) {
            return "";
        }
        const std::string_view tag = profile.substr(offset, size);
        if (tag.substr(0, 4) == "desc") {
            return text_description(tag);
        }
        if (tag.substr(0, 4) == "mluc") {
            return unicode_description(tag);
        }
        return "";
    }
    return "";
}

bool describes_srgb(std::string_view description) {
    return lower(description).find("srgb") != std::string::npos;
}

}  // namespace imgline::pipeline
