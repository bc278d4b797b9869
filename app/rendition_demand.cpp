#include "app/rendition_demand.h"

#include <algorithm>

namespace imgline::app {

void RenditionDemand::count(std::string_view id, std::string_view preset, ImageFormat format) {
    std::string key;
    key.reserve(id.size() + preset.size() + 8);
    key.append(id).append(" ").append(preset).append(" ").append(format_name(format));
    std::lock_guard lock(mutex_);
    if (asks_.size() >= kMaxEntries && !asks_.contains(key)) {
        for (auto it = asks_.begin(); it != asks_.end();) {
            it->second /= 2;
            it = it->second == 0 ? asks_.erase(it) : std::next(it);
        }
    }
    ++asks_[key];
}

std::vector<Wanted> RenditionDemand::most_wanted(const std::vector<std::string>& presets) const {
    std::vector<Wanted> wanted;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [key, asks] : asks_) {
            const auto first = key.find(' ');
            const auto second = key.find(' ', first + 1);
            const std::string preset = key.substr(first + 1, second - first - 1);
            if (std::find(presets.begin(), presets.end(), preset) == presets.end()) {
                continue;
            }
            const auto format = parse_format_name(key.substr(second + 1));
            if (format) {
                wanted.push_back({key.substr(0, first), preset, *format, asks});
            }
        }
    }
    std::sort(wanted.begin(), wanted.end(), [](const Wanted& a, const Wanted& b) {
        return a.asks != b.asks ? a.asks > b.asks : a.id + a.preset < b.id + b.preset;
    });
    return wanted;
}

}  // namespace imgline::app
