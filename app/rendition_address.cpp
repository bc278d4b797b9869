#include "app/rendition_address.h"

#include "pipeline/capabilities.h"
#include "pipeline/image_format.h"

#include <algorithm>

namespace imgline::app {
namespace {

// `path_of(preset, format)` for each preset: negotiated (no format), then each format it offers.
template <class PathOf>
std::vector<std::string> every_preset_path(const config::Config& config, PathOf path_of) {
    std::vector<std::string> paths;
    for (const auto& preset : config.presets) {
        paths.push_back(path_of(preset.name, std::optional<pipeline::ImageFormat>()));
        for (const auto& name : preset.formats) {
            if (const auto format = pipeline::parse_format_name(name)) {
                paths.push_back(path_of(preset.name, format));
            }
        }
    }
    return paths;
}

}  // namespace

Expected<PresetAddress> parse_preset_file(const config::Config& config, std::string_view file) {
    const auto dot = file.rfind('.');
    const std::string_view name = file.substr(0, dot);
    const auto preset = std::find_if(config.presets.begin(), config.presets.end(),
                                     [&](const auto& candidate) { return candidate.name == name; });
    if (preset == config.presets.end()) {
        return fail(ErrorCode::UnknownPreset,
                    "there is no preset named '" + std::string(name) + "'");
    }
    PresetAddress address;
    address.preset = &*preset;
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

std::string rendition_path(std::string_view id,
                           std::string_view preset,
                           std::optional<pipeline::ImageFormat> format) {
    std::string path = "/i/" + std::string(id) + "/" + std::string(preset);
    if (format) {
        path += "." + std::string(pipeline::file_extension(*format));
    }
    return path;
}

std::vector<std::string> rendition_paths(const config::Config& config, std::string_view id) {
    return every_preset_path(config, [&](std::string_view preset, auto format) {
        return rendition_path(id, preset, format);
    });
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
    return every_preset_path(config, [&](std::string_view preset, auto format) {
        return slot_path(owner, sku, slot, preset, format);
    });
}

}  // namespace imgline::app
