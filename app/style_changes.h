#pragma once

#include "config/config.h"

#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

namespace imgline::app {

/// A preset whose URLs carry a new version after a reload.
struct PresetChange {
    std::string name;
    std::string from;  // version
    std::string to;
};

/// What a configuration reload changes in what a running server takes without a restart: the
/// presets (and so the versions in their URLs), the brands, and settings it leaves until a
/// restart.
struct StyleChanges {
    std::vector<std::string> added;
    std::vector<std::string> removed;
    std::vector<std::pair<std::string, std::string>> renamed;  // old name, new name
    std::vector<PresetChange> changed;
    std::vector<std::string> brands_changed;  // added, removed or with other rules
    bool products_changed = false;            // [products]
    bool restart_needed = false;              // any other setting differs from the running one

    /// True when the routes must be rebuilt (anything but restart_needed).
    bool any() const;
};

/// The running configuration with the presets, brands and [products] of `loaded`: what a
/// reload applies; every other setting stays as it runs until a restart.
config::Config with_styles(const config::Config& running, const config::Config& loaded);

/// What moving from `running` to `next` (with_styles of `loaded`) changes. Pure.
StyleChanges compare_styles(const config::Config& running,
                            const config::Config& next,
                            const config::Config& loaded);

boost::json::object to_json(const StyleChanges& changes);

}  // namespace imgline::app
