#include "cdn/transform_options.h"

#include "config/units.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace imgline::cdn {
namespace {

constexpr std::uint64_t kMaxSide = 4096;

Expected<std::uint64_t> number_in(std::string_view key,
                                  std::string_view value,
                                  std::uint64_t low,
                                  std::uint64_t high) {
    auto parsed = config::parse_unsigned(value);
    if (!parsed || *parsed < low || *parsed > high) {
        return fail(ErrorCode::BadRequest, "option '" + std::string(key) +
                                               "' must be a number from " + std::to_string(low) +
                                               " to " + std::to_string(high));
    }
    return *parsed;
}

Expected<std::string> one_of(std::string_view key,
                             std::string_view value,
                             std::initializer_list<std::string_view> allowed) {
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
        std::string list;
        for (auto item : allowed) {
            list += (list.empty() ? "" : ", ") + std::string(item);
        }
        return fail(ErrorCode::BadRequest,
                    "option '" + std::string(key) + "' must be one of " + list);
    }
    return std::string(value);
}

}  // namespace

Expected<TransformOptions> parse_transform_options(const std::vector<std::string>& segments) {
    TransformOptions options;
    std::set<std::string> seen;
    for (const auto& segment : segments) {
        const auto colon = segment.find(':');
        if (colon == std::string::npos) {
            return fail(ErrorCode::BadRequest, "option '" + segment + "' is not key:value");
        }
        const std::string key = segment.substr(0, colon);
        const std::string_view value = std::string_view(segment).substr(colon + 1);
        if (!seen.insert(key).second) {
            return fail(ErrorCode::BadRequest, "option '" + key + "' is given twice");
        }
        if (key == "w" || key == "h") {
            auto side = number_in(key, value, 1, kMaxSide);
            if (!side) {
                return tl::unexpected(side.error());
            }
            (key == "w" ? options.width : options.height) = *side;
        } else if (key == "fit" || key == "g") {
            auto chosen = key == "fit" ? one_of(key, value, {"fit", "fill", "pad"})
                                       : one_of(key, value, {"centre", "attention"});
            if (!chosen) {
                return tl::unexpected(chosen.error());
            }
            (key == "fit" ? options.fit : options.gravity) = *chosen;
        } else if (key == "bg") {
            if (!config::parse_rgb(value) || value.starts_with('#')) {
                return fail(ErrorCode::BadRequest, "option 'bg' must be six hex digits, rrggbb");
            }
            options.background = "#" + std::string(value);
        } else if (key == "q" || key == "max_kb") {
            auto amount =
                key == "q" ? number_in(key, value, 1, 100) : number_in(key, value, 1, 10240);
            if (!amount) {
                return tl::unexpected(amount.error());
            }
            (key == "q" ? options.quality : options.max_kb) = *amount;
        } else if (key == "exp") {
            auto when = number_in(key, value, 1, 32'503'680'000);  // year 3000
            if (!when) {
                return tl::unexpected(when.error());
            }
            options.expires = static_cast<std::int64_t>(*when);
        } else {
            return fail(ErrorCode::BadRequest,
                        "unknown option '" + key + "' (known: w, h, fit, g, bg, q, max_kb, exp)");
        }
    }
    if (options.width == 0 && options.height == 0) {
        return fail(ErrorCode::BadRequest, "give w, h or both");
    }
    if (options.fit != "fit" && (options.width == 0 || options.height == 0)) {
        return fail(ErrorCode::BadRequest, "fit:" + options.fit + " needs both w and h");
    }
    return options;
}

std::string TransformOptions::canonical() const {
    return "w:" + std::to_string(width) + "/h:" + std::to_string(height) + "/fit:" + fit +
           "/g:" + gravity + "/bg:" + background.substr(1) + "/q:" + std::to_string(quality) +
           "/max_kb:" + std::to_string(max_kb) + "/exp:" + std::to_string(expires);
}

config::PresetConfig TransformOptions::as_preset(std::string_view format) const {
    config::PresetConfig preset;
    preset.name = "t";
    // An open side is bounded only by the largest transform side.
    preset.width = width == 0 ? kMaxSide : width;
    preset.height = height == 0 ? kMaxSide : height;
    preset.fit = *config::parse_choice(config::kFitModes, fit);  // parsed: one of them
    preset.gravity = *config::parse_choice(config::kCropGravities, gravity);
    preset.background = background;
    preset.formats = {std::string(format)};
    preset.max_bytes = max_kb * 1024;
    if (quality != 0) {
        preset.quality_max = quality;
        preset.quality_min = std::min<std::uint64_t>(preset.quality_min, quality);
    }
    return preset;
}

}  // namespace imgline::cdn
