#pragma once

#include "common/expected.h"
#include "config/config.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imgline::cdn {

/// The options of a signed ad-hoc transform, /t/{signature}/{options}/{id}.{fmt}, e.g.
/// `w:800/h:600/fit:fill/g:attention/bg:ffffff/q:85/max_kb:150/exp:1767225600`.
struct TransformOptions {
    std::uint64_t width = 0;             // w: 1..4096 (0: not given)
    std::uint64_t height = 0;            // h: 1..4096
    std::string fit = "fit";             // fit: fit | fill | pad
    std::string gravity = "centre";      // g: centre | attention
    std::string background = "#ffffff";  // bg: rrggbb
    std::uint64_t quality = 0;           // q: 1..100, the highest quality (0: default 90)
    std::uint64_t max_kb = 200;          // max_kb: 1..10240, the byte budget in KiB
    std::int64_t expires = 0;            // exp: Unix seconds after which the URL is refused

    /// The options written back in one fixed order: the cache key part.
    std::string canonical() const;

    /// A preset with these settings, offering `format`.
    config::PresetConfig as_preset(std::string_view format) const;
};

/// Parses the option segments strictly: an unknown key, a repeated key or a value out of range
/// is a 400 that names it, never silently clamped. Width or height is required; fill and pad
/// need both.
Expected<TransformOptions> parse_transform_options(const std::vector<std::string>& segments);

}  // namespace imgline::cdn
