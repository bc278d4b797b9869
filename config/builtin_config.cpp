#include "config/config.h"

namespace imgline::config {
namespace {

PresetConfig preset(std::string name,
                    std::uint64_t width,
                    std::uint64_t height,
                    FitMode fit,
                    std::uint64_t max_bytes) {
    PresetConfig preset;
    preset.name = std::move(name);
    preset.width = width;
    preset.height = height;
    preset.fit = fit;
    preset.max_bytes = max_bytes;
    return preset;
}

// Below this a photo looks soft at 1024 px: in bench/brand every corpus photo measures 30 or
// more, and most copies blurred with σ 2 measure under 20.
constexpr double kDefaultSharpnessMin = 20.0;

}  // namespace

BrandConfig builtin_default_brand() {
    BrandRules main;
    main.min_width = 800;
    main.min_height = 800;
    main.aspect = "1:1";
    main.aspect_tolerance = 0.02;
    main.background = "#ffffff";
    main.centre_tolerance = 0.1;
    main.sharpness_min = kDefaultSharpnessMin;
    main.colour_space = "srgb";
    main.warn_only = {"colour_space"};  // renditions are converted anyway
    main.fixes = {"pad_aspect", "flatten"};

    BrandConfig brand;
    brand.name = "default";
    brand.roles.emplace("main", main);
    return brand;
}

namespace {

PresetConfig main_preset() {
    PresetConfig main = preset("main", 800, 800, FitMode::Pad, 200 * 1024);
    main.brand_fixes = true;
    return main;
}

}  // namespace

Config builtin_config() {
    Config config;
    config.presets = {
        preset("thumb", 240, 240, FitMode::Fill, 20 * 1024),
        preset("list", 480, 480, FitMode::Fit, 60 * 1024),
        main_preset(),
        preset("detail", 1600, 1600, FitMode::Fit, 200 * 1024),
    };
    config.brands = {builtin_default_brand()};
    return config;
}

const PresetConfig* find_preset(const Config& config, std::string_view name) {
    for (const auto& preset : config.presets) {
        if (preset.name == name) {
            return &preset;
        }
    }
    return nullptr;
}

const BrandConfig* find_brand(const Config& config, std::string_view name) {
    const std::string_view wanted = name.empty() ? "default" : name;
    for (const auto& brand : config.brands) {
        if (brand.name == wanted) {
            return &brand;
        }
    }
    if (wanted == "default") {
        static const BrandConfig fallback = builtin_default_brand();
        return &fallback;
    }
    return nullptr;
}

std::vector<CarrierSource> effective_carrier_sources(const CarriersConfig& carriers) {
    if (!carriers.sources.empty() || carriers.data_dir.empty()) {
        return carriers.sources;
    }
    return {
        {"telecom", {"chinanet.txt", "chinanet6.txt"}},
        {"unicom", {"unicom.txt", "unicom6.txt"}},
        {"mobile", {"cmcc.txt", "cmcc6.txt"}},
        {"edu", {"cernet.txt", "cernet6.txt"}},
    };
}

}  // namespace imgline::config
