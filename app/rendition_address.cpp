#include "app/rendition_address.h"

#include "cdn/cache_policy.h"
#include "pipeline/capabilities.h"
#include "pipeline/image_format.h"

#include <algorithm>

namespace imgline::app {
namespace {

// `path_of(name, format)` for one preset: negotiated (no format), then each format it offers.
template <class PathOf>
std::vector<std::string> preset_paths(const config::PresetConfig& preset, PathOf path_of) {
    std::vector<std::string> paths{path_of(preset.name, std::optional<pipeline::ImageFormat>())};
    for (const auto& name : preset.formats) {
        if (const auto format = pipeline::parse_format_name(name)) {
            paths.push_back(path_of(preset.name, format));
        }
    }
    return paths;
}

}  // namespace

PresetVersions::PresetVersions(const config::Config& config) {
    for (const auto& preset : config.presets) {
        versions_.emplace(preset.name, preset_version(config, preset));
    }
}

std::string_view PresetVersions::of(std::string_view preset) const {
    const auto found = versions_.find(preset);
    return found == versions_.end() ? std::string_view() : std::string_view(found->second);
}

Expected<PresetAddress> parse_preset_file(const config::Config& config,
                                          const PresetVersions& versions,
                                          std::string_view file) {
    const auto dot = file.rfind('.');
    std::string_view name = file.substr(0, dot);
    std::string_view version;
    if (const auto tilde = name.find('~'); tilde != std::string_view::npos) {
        version = name.substr(tilde + 1);
        name = name.substr(0, tilde);
        if (!cdn::is_rendition_version(version)) {
            return fail(ErrorCode::NotFound, "there is no image at this address");
        }
    }
    PresetAddress address;
    const config::PresetConfig* preset = config::find_preset(config, name);
    if (preset == nullptr) {
        const auto renamed =
            std::find_if(config.presets.begin(), config.presets.end(), [&](const auto& p) {
                return std::find(p.replaces.begin(), p.replaces.end(), name) != p.replaces.end();
            });
        if (renamed == config.presets.end()) {
            return fail(ErrorCode::UnknownPreset,
                        "there is no preset named '" + std::string(name) + "'");
        }
        preset = &*renamed;
        address.renamed = true;
    }
    address.preset = preset;
    address.version = std::string(version);
    address.current_version = std::string(versions.of(preset->name));
    for (const auto& format_name : preset->formats) {
        const auto format = pipeline::parse_format_name(format_name);
        if (format && pipeline::can_write(*format)) {
            address.offered.push_back(*format);
        }
    }
    if (dot != std::string_view::npos) {
        const auto format = pipeline::parse_format_name(file.substr(dot + 1));
        if (!format || std::find(address.offered.begin(), address.offered.end(), *format) ==
                           address.offered.end()) {
            return fail(ErrorCode::NotFound, "the preset '" + preset->name +
                                                 "' is not offered as '" +
                                                 std::string(file.substr(dot + 1)) + "'");
        }
        address.format = format;
    }
    return address;
}

std::string preset_version(const config::Config& config, const config::PresetConfig& preset) {
    return cdn::rendition_version(
        preset, preset.brand_fixes ? cdn::brands_fingerprint(config) : std::string());
}

std::string current_rendition_path(const PresetVersions& versions,
                                   std::string_view id,
                                   std::string_view preset,
                                   std::optional<pipeline::ImageFormat> format) {
    return rendition_path(id, preset, format, versions.of(preset));
}

std::string rendition_path(std::string_view id,
                           std::string_view preset,
                           std::optional<pipeline::ImageFormat> format,
                           std::string_view version) {
    std::string path = "/i/" + std::string(id) + "/" + std::string(preset);
    if (!version.empty()) {
        path += "~" + std::string(version);
    }
    if (format) {
        path += "." + std::string(pipeline::file_extension(*format));
    }
    return path;
}

std::vector<std::string> rendition_paths(const config::Config& config,
                                         std::string_view id,
                                         const KnownVersions& known) {
    std::vector<std::string> paths;
    for (const auto& preset : config.presets) {
        std::vector<std::string> versions{"", preset_version(config, preset)};
        if (const auto earlier = known.find(preset.name); earlier != known.end()) {
            for (const auto& version : earlier->second) {
                if (std::find(versions.begin(), versions.end(), version) == versions.end()) {
                    versions.push_back(version);
                }
            }
        }
        for (const auto& version : versions) {
            auto more = preset_paths(preset, [&](std::string_view name, auto format) {
                return rendition_path(id, name, format, version);
            });
            paths.insert(paths.end(), more.begin(), more.end());
        }
    }
    // Presets removed from the configuration since: edges may still hold their renditions, in
    // any format a preset can offer.
    for (const auto& [name, earlier] : known) {
        if (config::find_preset(config, name) != nullptr) {
            continue;
        }
        config::PresetConfig removed;
        removed.name = name;
        removed.formats = {"avif", "webp", "jpeg", "png"};
        std::vector<std::string> versions{""};
        versions.insert(versions.end(), earlier.begin(), earlier.end());
        for (const auto& version : versions) {
            auto more = preset_paths(removed, [&](std::string_view preset, auto format) {
                return rendition_path(id, preset, format, version);
            });
            paths.insert(paths.end(), more.begin(), more.end());
        }
    }
    return paths;
}

std::string slot_path(std::string_view owner,
                      std::string_view sku,
                      std::string_view slot,
                      std::string_view preset,
                      std::optional<pipeline::ImageFormat> format) {
    std::string path = "/p/" + std::string(owner) + "/" + std::string(sku) + "/" +
                       std::string(slot) + "/" + std::string(preset);
    if (format) {
        path += "." + std::string(pipeline::file_extension(*format));
    }
    return path;
}

std::vector<std::string> slot_paths(const config::Config& config,
                                    std::string_view owner,
                                    std::string_view sku,
                                    std::string_view slot) {
    std::vector<std::string> paths;
    for (const auto& preset : config.presets) {
        auto more = preset_paths(preset, [&](std::string_view name, auto format) {
            return slot_path(owner, sku, slot, name, format);
        });
        paths.insert(paths.end(), more.begin(), more.end());
    }
    return paths;
}

}  // namespace imgline::app
