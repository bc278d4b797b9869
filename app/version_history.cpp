#include "app/version_history.h"

#include "cdn/cache_policy.h"
#include "common/log.h"
#include "storage/durable_file.h"

#include <algorithm>

#include <boost/json.hpp>

namespace imgline::app {
namespace {

constexpr std::string_view kFile = "preset-versions.json";

}  // namespace

VersionHistory::VersionHistory(std::string data_dir) : dir_(std::move(data_dir)) {
    auto text = storage::read_file(dir_ + "/" + std::string(kFile));
    if (!text) {
        return;
    }
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(*text, ec);
    if (ec || !parsed.is_object()) {
        log::warn("the preset version history could not be read; it starts again",
                  {{"file", dir_ + "/" + std::string(kFile)}});
        return;
    }
    for (const auto& [preset, versions] : parsed.as_object()) {
        if (!versions.is_array()) {
            continue;
        }
        auto& kept = known_[std::string(preset)];
        for (const auto& version : versions.as_array()) {
            if (version.is_string() && cdn::is_rendition_version(version.as_string())) {
                kept.emplace_back(version.as_string());
            }
        }
    }
}

Expected<void> VersionHistory::record(const config::Config& config) {
    std::lock_guard lock(mutex_);
    bool added = false;
    for (const auto& preset : config.presets) {
        auto& kept = known_[preset.name];
        const std::string version = preset_version(config, preset);
        if (std::find(kept.begin(), kept.end(), version) != kept.end()) {
            continue;
        }
        kept.push_back(version);
        if (kept.size() > kVersionsKept) {
            kept.erase(kept.begin());
        }
        added = true;
    }
    if (!added) {
        return {};
    }
    boost::json::object json;
    for (const auto& [preset, versions] : known_) {
        json[preset] = boost::json::array(versions.begin(), versions.end());
    }
    return storage::write_durably(dir_, std::string(kFile), boost::json::serialize(json));
}

KnownVersions VersionHistory::known() const {
    std::lock_guard lock(mutex_);
    return known_;
}

}  // namespace imgline::app
