#include "config/config.h"

namespace imgline::config {
namespace {

PresetConfig preset(std::string name,
                    std::uint64_t width,
                    std::uint64_t height,
                    std::string fit,
                    std::uint64_t max_bytes) {
    PresetConfig preset;
    preset.name = std::move(name);
    preset.width = width;
    preset.height = height;
    preset.fit = std::move(fit);
    preset.max_bytes = max_bytes;
    return preset;
}

// The built-in default brand: what a marketplace expects of a main product photo.
BrandConfig default_brand() {
    BrandRules main;
    main.min_width = 800;
    main.min_height = 800;
    main.aspect = "1:1";
    main.aspect_tolerance = 0.02;
    main.background = "#ffffff";
    main.centre_tolerance = 0.1;

    BrandConfig brand;
    brand.name = "default";
    brand.roles.emplace("main", main);
    return brand;
}

}  // namespace

Config builtin_config() {
    Config config;
    config.presets = {
        preset("thumb", 240, 240, "fill", 20 * 1024),
        preset("list", 480, 480, "fit", 60 * 1024),
        preset("main", 800, 800, "pad", 200 * 1024),
        preset("detail", 1600, 1600, "fit", 200 * 1024),
    };
    config.brands = {default_brand()};
    return config;
}

}  // namespace imgline::config
