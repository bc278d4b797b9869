#pragma once

#include "common/expected.h"
#include "config/config.h"
#include "pipeline/image_format.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imgline::app {

/// "{preset}" or "{preset}.{ext}" from a URL, checked against the configuration.
struct PresetAddress {
    const config::PresetConfig* preset = nullptr;
    std::optional<pipeline::ImageFormat> format;  // none: negotiate from Accept
    std::vector<pipeline::ImageFormat>
        offered;  // formats the preset offers that this server writes
};

/// 404 unknown_preset for a preset that does not exist, 404 for an extension the preset does
/// not offer (or this server cannot write).
Expected<PresetAddress> parse_preset_file(const config::Config& config, std::string_view file);

/// The path of a rendition: "/i/{id}/{preset}" (its format negotiated from Accept) or
/// "/i/{id}/{preset}.{ext}". Every /i/ address imgline writes is built here.
std::string rendition_path(std::string_view id,
                           std::string_view preset,
                           std::optional<pipeline::ImageFormat> format = std::nullopt);

/// Every rendition path of `id` an edge may have cached: /i/{id}/{preset} (negotiated) and
/// /i/{id}/{preset}.{ext} for each format each preset offers.
std::vector<std::string> rendition_paths(const config::Config& config, std::string_view id);

}  // namespace imgline::app
