#include "app/style_changes.h"

#include "app/rendition_address.h"
#include "config/load_config.h"

#include <algorithm>

namespace imgline::app {
namespace {

// A brand as the configuration prints it: equal texts, equal rules.
std::string brand_text(const config::BrandConfig& brand) {
    config::Config alone;
    alone.brands = {brand};
    return config::print_config(alone);
}

std::string brand_text_of(const config::Config& config, const std::string& name) {
    const auto found = std::find_if(config.brands.begin(), config.brands.end(),
                                    [&](const auto& brand) { return brand.name == name; });
    return found == config.brands.end() ? std::string() : brand_text(*found);
}

}  // namespace

bool StyleChanges::any() const {
    return !added.empty() || !removed.empty() || !renamed.empty() || !changed.empty() ||
           !brands_changed.empty() || products_changed;
}

config::Config with_styles(const config::Config& running, const config::Config& loaded) {
    config::Config next = running;
    next.presets = loaded.presets;
    next.brands = loaded.brands;
    next.products = loaded.products;
    return next;
}

StyleChanges compare_styles(const config::Config& running,
                            const config::Config& next,
                            const config::Config& loaded) {
    StyleChanges changes;
    for (const auto& before : running.presets) {
        if (const auto* after = config::find_preset(next, before.name)) {
            const std::string from = preset_version(running, before);
            const std::string to = preset_version(next, *after);
            if (from != to) {
                changes.changed.push_back({before.name, from, to});
            }
            continue;
        }
        const auto renamed =
            std::find_if(next.presets.begin(), next.presets.end(), [&](const auto& p) {
                return std::find(p.replaces.begin(), p.replaces.end(), before.name) !=
                       p.replaces.end();
            });
        if (renamed != next.presets.end()) {
            changes.renamed.emplace_back(before.name, renamed->name);
        } else {
            changes.removed.push_back(before.name);
        }
    }
    for (const auto& after : next.presets) {
        const bool renamed_here =
            std::any_of(changes.renamed.begin(), changes.renamed.end(),
                        [&](const auto& pair) { return pair.second == after.name; });
        if (config::find_preset(running, after.name) == nullptr && !renamed_here) {
            changes.added.push_back(after.name);
        }
    }
    std::vector<std::string> brand_names;
    for (const auto* config : {&running, &next}) {
        for (const auto& brand : config->brands) {
            if (std::find(brand_names.begin(), brand_names.end(), brand.name) ==
                brand_names.end()) {
                brand_names.push_back(brand.name);
            }
        }
    }
    for (const auto& name : brand_names) {
        if (brand_text_of(running, name) != brand_text_of(next, name)) {
            changes.brands_changed.push_back(name);
        }
    }
    changes.products_changed = running.products.slot_max_age != next.products.slot_max_age ||
                               running.products.slot_answer != next.products.slot_answer;
    changes.restart_needed = config::print_config(next) != config::print_config(loaded);
    return changes;
}

boost::json::object to_json(const StyleChanges& changes) {
    boost::json::array changed;
    for (const auto& preset : changes.changed) {
        changed.push_back({{"name", preset.name}, {"from", preset.from}, {"to", preset.to}});
    }
    boost::json::array renamed;
    for (const auto& [from, to] : changes.renamed) {
        renamed.push_back({{"from", from}, {"to", to}});
    }
    return {{"presets",
             {{"added", boost::json::array(changes.added.begin(), changes.added.end())},
              {"removed", boost::json::array(changes.removed.begin(), changes.removed.end())},
              {"renamed", std::move(renamed)},
              {"changed", std::move(changed)}}},
            {"brands_changed",
             boost::json::array(changes.brands_changed.begin(), changes.brands_changed.end())},
            {"products_changed", changes.products_changed},
            {"restart_needed", changes.restart_needed}};
}

}  // namespace imgline::app
