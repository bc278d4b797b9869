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

/// The stable address of a product's slot a shop embeds: "/p/{owner}/{sku}/{slot}/{preset}"
/// (negotiated) or ".../{preset}.{ext}". It shows whatever original the slot points at now.
std::string slot_path(std::string_view owner,
                      std::string_view sku,
                      std::string_view slot,
                      std::string_view preset,
                      std::optional<pipeline::ImageFormat> format = std::nullopt);

/// Every slot path of one slot an edge may have cached (each preset, negotiated and per format).
std::vector<std::string> slot_paths(const config::Config& config,
                                    std::string_view owner,
                                    std::string_view sku,
                                    std::string_view slot);

}  // namespace imgline::app
