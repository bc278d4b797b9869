#include "config/units.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

namespace imgline::config {
namespace {

// Splits "25MiB" into 25 and "MiB"; the number must be a whole decimal.
std::optional<std::pair<std::uint64_t, std::string_view>> split_number(std::string_view text) {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || stop == text.data()) {
        return std::nullopt;
    }
    std::string_view suffix(stop, static_cast<std::size_t>(end - stop));
    while (!suffix.empty() && suffix.front() == ' ') {
        suffix.remove_prefix(1);
    }
    return std::pair{value, suffix};
}

std::optional<std::uint64_t> checked_multiply(std::uint64_t value, std::uint64_t factor) {
    if (factor != 0 && value > std::numeric_limits<std::uint64_t>::max() / factor) {
        return std::nullopt;
    }
    return value * factor;
}

}  // namespace

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
    auto parts = split_number(text);
    if (!parts || !parts->second.empty()) {
        return std::nullopt;
    }
    return parts->first;
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    auto parts = split_number(text);
    if (!parts) {
        return std::nullopt;
    }

    struct Unit {
        std::string_view suffix;
        std::uint64_t millis;
    };

    static constexpr std::array<Unit, 5> kUnits{
        {{"", 1000}, {"s", 1000}, {"ms", 1}, {"m", 60'000}, {"h", 3'600'000}}};
    for (const auto& unit : kUnits) {
        if (parts->second == unit.suffix) {
            auto millis = checked_multiply(parts->first, unit.millis);
            if (!millis ||
                *millis > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
                return std::nullopt;
            }
            return std::chrono::milliseconds(static_cast<std::int64_t>(*millis));
        }
    }
    return std::nullopt;
}

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
    auto parts = split_number(text);
    if (!parts) {
        return std::nullopt;
    }

    struct Unit {
        std::string_view suffix;
        std::uint64_t factor;
    };

    static constexpr std::array<Unit, 8> kUnits{{{"", 1},
                                                 {"B", 1},
                                                 {"KB", 1000},
                                                 {"KiB", 1024},
                                                 {"MB", 1000 * 1000},
                                                 {"MiB", 1024 * 1024},
                                                 {"GB", 1000 * 1000 * 1000},
                                                 {"GiB", 1024ULL * 1024 * 1024}}};
    for (const auto& unit : kUnits) {
        if (parts->second == unit.suffix) {
            return checked_multiply(parts->first, unit.factor);
        }
    }
    return std::nullopt;
}

std::optional<bool> parse_bool(std::string_view text) {
    if (text == "true" || text == "yes" || text == "on" || text == "1") {
        return true;
    }
    if (text == "false" || text == "no" || text == "off" || text == "0") {
        return false;
    }
    return std::nullopt;
}

std::optional<double> parse_number(std::string_view text) {
    double value = 0;
    const char* end = text.data() + text.size();
    auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || stop != end || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::string format_duration(std::chrono::milliseconds value) {
    const auto millis = value.count();
    if (millis % 1000 == 0) {
        return std::to_string(millis / 1000) + "s";
    }
    return std::to_string(millis) + "ms";
}

std::string format_byte_size(std::uint64_t bytes) {
    if (bytes != 0 && bytes % (1024 * 1024) == 0) {
        return std::to_string(bytes / (1024 * 1024)) + "MiB";
    }
    if (bytes != 0 && bytes % 1024 == 0) {
        return std::to_string(bytes / 1024) + "KiB";
    }
    return std::to_string(bytes);
}

std::string reachable_address(const ListenAddress& listen) {
    const bool wildcard = listen.host == "0.0.0.0" || listen.host == "::" || listen.host.empty();
    const std::string host = wildcard                                     ? "127.0.0.1"
                             : listen.host.find(':') != std::string::npos ? "[" + listen.host + "]"
                                                                          : listen.host;
    return host + ":" + std::to_string(listen.port);
}

std::optional<ListenAddress> parse_listen(std::string_view text) {
    std::string_view host;
    std::string_view port;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return std::nullopt;
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos || text.find(':') != colon) {
            return std::nullopt;
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    auto number = parse_unsigned(port);
    if (host.empty() || !number || *number > 65535) {
        return std::nullopt;
    }
    return ListenAddress{std::string(host), static_cast<std::uint16_t>(*number)};
}

std::optional<Rgb> parse_rgb(std::string_view text) {
    if (text.starts_with('#')) {
        text.remove_prefix(1);
    }
    if (text.size() != 6) {
        return std::nullopt;
    }
    std::array<std::uint8_t, 3> channels{};
    for (std::size_t i = 0; i < 3; ++i) {
        unsigned value = 0;
        const char* begin = text.data() + 2 * i;
        auto [stop, ec] = std::from_chars(begin, begin + 2, value, 16);
        if (ec != std::errc{} || stop != begin + 2) {
            return std::nullopt;
        }
        channels[i] = static_cast<std::uint8_t>(value);
    }
    return Rgb{channels[0], channels[1], channels[2]};
}

std::optional<double> parse_aspect(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        return std::nullopt;
    }
    auto width = parse_number(text.substr(0, colon));
    auto height = parse_number(text.substr(colon + 1));
    if (!width || !height || *width <= 0 || *height <= 0) {
        return std::nullopt;
    }
    return *width / *height;
}

std::string format_rgb(Rgb colour) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text = "#";
    for (const std::uint8_t part : {colour.r, colour.g, colour.b}) {
        text.push_back(kHex[part >> 4]);
        text.push_back(kHex[part & 0xf]);
    }
    return text;
}

}  // namespace imgline::config
