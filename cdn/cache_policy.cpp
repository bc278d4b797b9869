#include "cdn/cache_policy.h"

#include "common/sha256.h"
#include "common/text.h"

#include <algorithm>
#include <charconv>

namespace imgline::cdn {
namespace {

std::optional<std::uint64_t> number(std::string_view text) {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || stop != end || text.empty()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::string preset_fingerprint(const config::PresetConfig& preset) {
    std::string shape =
        std::to_string(preset.width) + "x" + std::to_string(preset.height) + "|" +
        std::string(config::choice_name(config::kFitModes, preset.fit)) + "|" +
        std::string(config::choice_name(config::kCropGravities, preset.gravity)) + "|" +
        preset.background + "|" + std::to_string(preset.max_bytes) + "|" +
        std::to_string(preset.quality_min) + "-" + std::to_string(preset.quality_max) + "|" +
        (preset.upscale ? "up" : "down") + "|" + (preset.serve_unmet_budget ? "serve" : "refuse") +
        (preset.brand_fixes ? "|brand" : "");
    return sha256_hex(shape).substr(0, 12);
}

std::string brands_fingerprint(const config::Config& config) {
    std::string shape;
    for (const auto& brand : config.brands) {
        shape += brand.name + "|" + brand.background;
        for (const auto& [role, rules] : brand.roles) {
            shape += "|" + role + ":" + rules.aspect + ":" + std::to_string(rules.margin);
            for (const auto& fix : rules.fixes) {
                shape += "," + fix;
            }
        }
        shape += "\n";
    }
    for (const auto& party : config.parties) {
        shape += party.name + "=" + party.brand + "\n";
    }
    return sha256_hex(shape).substr(0, 12);
}

std::string rendition_version(const config::PresetConfig& preset, std::string_view brands) {
    return sha256_hex(preset_fingerprint(preset) + "|" +
                      (preset.brand_fixes ? std::string(brands) : std::string()) + "|" +
                      std::string(kPipelineVersion))
        .substr(0, 8);
}

bool is_rendition_version(std::string_view text) {
    return text.size() == 8 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

std::string rendition_key(std::string_view id,
                          const config::PresetConfig& preset,
                          ImageFormat format,
                          std::string_view brands) {
    std::string key = std::string(id) + "." + preset.name + "." + preset_fingerprint(preset) + "." +
                      std::string(format_name(format)) + "." + std::string(kPipelineVersion);
    if (preset.brand_fixes && !brands.empty()) {
        key += "." + std::string(brands);
    }
    return key;
}

std::string etag_for(std::string_view key) {
    return "\"" + sha256_hex(key).substr(0, 32) + "\"";
}

bool if_none_match_any(std::string_view header) {
    return trim(header) == "*";
}

bool if_none_match_hits(std::string_view header, std::string_view etag) {
    header = trim(header);
    while (!header.empty()) {
        const auto comma = header.find(',');
        std::string_view tag = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        if (tag.starts_with("W/")) {
            tag.remove_prefix(2);
        }
        if (tag == etag) {
            return true;
        }
    }
    return false;
}

RangeResult parse_range(std::string_view header, std::uint64_t length, ByteRange& range) {
    header = trim(header);
    if (!header.starts_with("bytes=")) {
        return RangeResult::Whole;
    }
    const std::string_view spec = trim(header.substr(6));
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos || spec.find(',') != std::string_view::npos) {
        return RangeResult::Whole;  // malformed, or several ranges: send it all
    }
    const auto first = number(trim(spec.substr(0, dash)));
    const auto last = number(trim(spec.substr(dash + 1)));
    if (!first && last) {  // bytes=-n: the last n bytes
        if (*last == 0 || length == 0) {
            return RangeResult::Unsatisfiable;
        }
        range = {*last >= length ? 0 : length - *last, length - 1};
        return RangeResult::Partial;
    }
    if (!first || (last && *last < *first)) {
        return RangeResult::Whole;
    }
    if (*first >= length) {
        return RangeResult::Unsatisfiable;
    }
    range = {*first, last ? std::min(*last, length - 1) : length - 1};
    return RangeResult::Partial;
}

}  // namespace imgline::cdn
