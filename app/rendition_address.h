#pragma once

#include "common/expected.h"
#include "config/config.h"
#include "pipeline/image_format.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imgline::app {

/// "{preset}[~{version}][.{ext}]" from a URL, checked against the configuration.
struct PresetAddress {
    const config::PresetConfig* preset = nullptr;
    std::optional<pipeline::ImageFormat> format;  // none: negotiate from Accept
    std::vector<pipeline::ImageFormat>
        offered;  // formats the preset offers that this server writes
    /// The version the URL names (empty: none), and the preset's version now.
    std::string version;
    std::string current_version;
    /// The URL named a preset by a name it `replaces` (renamed in the configuration).
    bool renamed = false;
};

/// The version in the URLs of `preset` under `config` (cdn::rendition_version with the
/// configuration's brands).
std::string preset_version(const config::Config& config, const config::PresetConfig& preset);

/// Every preset's version under one configuration, worked out once per routing table (the
/// image routes look one up on every request; lists and embeds one per preset and image).
class PresetVersions {
public:
    explicit PresetVersions(const config::Config& config);
    /// The preset's version; empty for a name the configuration does not have.
    std::string_view of(std::string_view preset) const;

private:
    std::map<std::string, std::string, std::less<>> versions_;
};

/// 404 unknown_preset for a preset that does not exist, 404 for an extension the preset does
/// not offer (or this server cannot write) or a malformed version. `versions`: the presets'
/// versions under `config`.
Expected<PresetAddress> parse_preset_file(const config::Config& config,
                                          const PresetVersions& versions,
                                          std::string_view file);

/// The path of a rendition: "/i/{id}/{preset}[~{version}]" (its format negotiated from Accept)
/// or ".../{preset}[~{version}].{ext}". Every /i/ address imgline writes is built here.
std::string rendition_path(std::string_view id,
                           std::string_view preset,
                           std::optional<pipeline::ImageFormat> format = std::nullopt,
                           std::string_view version = {});

/// The path imgline hands out for a rendition now: with the preset's current version, so a
/// change of the preset, the brands or the pipeline gives new URLs.
std::string current_rendition_path(const PresetVersions& versions,
                                   std::string_view id,
                                   std::string_view preset,
                                   std::optional<pipeline::ImageFormat> format = std::nullopt);

/// Versions each preset's URLs carried before (preset name → versions), which edges may still
/// hold copies under.
using KnownVersions = std::map<std::string, std::vector<std::string>, std::less<>>;

/// Every rendition path of `id` an edge may have cached: for each preset, negotiated and with
/// each format it offers, unversioned, with its current version and with each `known` one; and
/// for each `known` preset no longer configured, the same in every format.
std::vector<std::string> rendition_paths(const config::Config& config,
                                         std::string_view id,
                                         const KnownVersions& known = {});

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
