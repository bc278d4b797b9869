// The versions in rendition URLs and what a configuration reload changes: the same settings
// give the same version however the file is written; every rendering setting changes it.
#include "app/style_changes.h"

#include "app/rendition_address.h"
#include "config/load_config.h"

#include <catch2/catch.hpp>

using namespace imgline;

namespace {

config::Config from_toml(std::string_view text) {
    auto loaded = config::load_config_text(text, "test.toml", {});
    INFO(loaded.problems.size());
    REQUIRE(loaded.problems.empty());
    return loaded.config;
}

std::string version_of(const config::Config& config, std::string_view preset) {
    for (const auto& candidate : config.presets) {
        if (candidate.name == preset) {
            return app::preset_version(config, candidate);
        }
    }
    FAIL("no preset " << preset);
    return {};
}

constexpr std::string_view kPresets = R"(
[[presets]]
name = "list"
width = 480
height = 480
fit = "fit"
max_bytes = "60KiB"

[[presets]]
name = "main"
width = 800
height = 800
fit = "pad"
max_bytes = "200KiB"
brand_fixes = true
)";

}  // namespace

TEST_CASE("a preset's URL version depends on what shapes its renditions only",
          "[unit][app][versions]") {
    const auto config = from_toml(kPresets);
    const std::string list = version_of(config, "list");
    CHECK(list.size() == 8);
    CHECK(version_of(from_toml(kPresets), "list") == list);  // the same settings, the same

    // The same settings written another way: comments, key order, preset order, units.
    const auto reordered = from_toml(R"(
# Storefront presets.
[[presets]]
brand_fixes = true
max_bytes = 204800
name = "main"   # the product page
fit = "pad"
height = 800
width = 800

[[presets]]
max_bytes = 61440
fit = "fit"
height = 480
width = 480
name = "list"
formats = ["webp", "jpeg"]
)");
    CHECK(version_of(reordered, "list") == list);
    CHECK(version_of(reordered, "main") == version_of(config, "main"));

    // Every rendering setting changes it.
    using Change = std::pair<const char*, void (*)(config::PresetConfig&)>;
    const std::vector<Change> changes{
        {"width", [](auto& p) { p.width = 481; }},
        {"height", [](auto& p) { p.height = 479; }},
        {"fit", [](auto& p) { p.fit = config::FitMode::Fill; }},
        {"gravity", [](auto& p) { p.gravity = config::CropGravity::Attention; }},
        {"background", [](auto& p) { p.background = "#000000"; }},
        {"max_bytes", [](auto& p) { p.max_bytes = 50 * 1024; }},
        {"quality_min", [](auto& p) { p.quality_min = 40; }},
        {"quality_max", [](auto& p) { p.quality_max = 80; }},
        {"upscale", [](auto& p) { p.upscale = true; }},
        {"serve_unmet_budget", [](auto& p) { p.serve_unmet_budget = false; }},
        {"brand_fixes", [](auto& p) { p.brand_fixes = true; }},
    };
    for (const auto& [setting, apply] : changes) {
        INFO(setting);
        auto changed = config;
        apply(changed.presets[0]);
        CHECK(version_of(changed, "list") != list);
    }
    // Which formats it is offered in does not change a rendition's bytes.
    auto formats = config;
    formats.presets[0].formats = {"avif", "webp", "jpeg"};
    CHECK(version_of(formats, "list") == list);
}

TEST_CASE("a brand change re-versions the presets that apply brands, and only those",
          "[unit][app][versions]") {
    const auto before = from_toml(kPresets);
    auto after = before;
    config::BrandConfig brand = config::builtin_default_brand();
    brand.background = "#f5f5f5";
    after.brands = {brand};
    CHECK(version_of(after, "main") != version_of(before, "main"));
    CHECK(version_of(after, "list") == version_of(before, "list"));
    const auto changes = app::compare_styles(before, after, after);
    REQUIRE(changes.changed.size() == 1);
    CHECK(changes.changed[0].name == "main");
    CHECK(changes.brands_changed == std::vector<std::string>{"default"});
    CHECK_FALSE(changes.restart_needed);
}

TEST_CASE("a reload reports added, removed, renamed and changed presets, and restarts needed",
          "[unit][app][versions]") {
    const auto running = from_toml(kPresets);
    const auto loaded = from_toml(R"(
[server]
worker_threads = 3

[[presets]]
name = "listing"
replaces = ["list"]
width = 480
height = 480
fit = "fit"
max_bytes = "60KiB"

[[presets]]
name = "main"
width = 900
height = 900
fit = "pad"
max_bytes = "200KiB"
brand_fixes = true

[[presets]]
name = "zoom"
width = 2000
height = 2000
)");
    const auto next = app::with_styles(running, loaded);
    CHECK(next.server.worker_threads == running.server.worker_threads);  // needs a restart
    CHECK(next.presets.size() == 3);
    const auto changes = app::compare_styles(running, next, loaded);
    CHECK(changes.added == std::vector<std::string>{"zoom"});
    CHECK(changes.removed.empty());
    REQUIRE(changes.renamed.size() == 1);
    CHECK(changes.renamed[0] == std::pair<std::string, std::string>{"list", "listing"});
    REQUIRE(changes.changed.size() == 1);
    CHECK(changes.changed[0].name == "main");
    CHECK(changes.changed[0].from == version_of(running, "main"));
    CHECK(changes.changed[0].to == version_of(next, "main"));
    CHECK(changes.restart_needed);
    CHECK(changes.any());

    const auto same = app::compare_styles(running, running, running);
    CHECK_FALSE(same.any());
    CHECK_FALSE(same.restart_needed);
}

TEST_CASE("rendition URLs carry the version, and purges cover every version an edge may hold",
          "[unit][app][versions]") {
    const auto config = from_toml(kPresets);
    const std::string id(64, 'a');
    const std::string list = version_of(config, "list");
    const app::PresetVersions versions(config);
    CHECK(versions.of("list") == list);
    CHECK(versions.of("nosuch").empty());
    CHECK(app::current_rendition_path(versions, id, "list", ImageFormat::Webp) ==
          "/i/" + id + "/list~" + list + ".webp");
    const auto address = app::parse_preset_file(config, versions, "list~" + list + ".jpg");
    REQUIRE(address);
    CHECK(address->version == list);
    CHECK(address->current_version == list);
    CHECK_FALSE(app::parse_preset_file(config, versions, "list~ABCDEF12.jpg"));  // not a version
    CHECK_FALSE(app::parse_preset_file(config, versions, "list~12.jpg"));

    const auto paths =
        app::rendition_paths(config, id, {{"list", {"0badf00d"}}, {"gone", {"12345678"}}});
    auto has = [&](const std::string& path) {
        return std::find(paths.begin(), paths.end(), path) != paths.end();
    };
    CHECK(has("/i/" + id + "/list.webp"));               // unversioned
    CHECK(has("/i/" + id + "/list~" + list + ".webp"));  // current
    CHECK(has("/i/" + id + "/list~0badf00d.jpg"));       // an earlier one
    CHECK(has("/i/" + id + "/main~" + version_of(config, "main")));
    CHECK(has("/i/" + id + "/gone~12345678.avif"));  // a preset removed since
    CHECK(has("/i/" + id + "/gone.png"));
}
