#pragma once

#include "common/image_format.h"

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace imgline::app {

/// One rendition viewers asked for, and how often (lately).
struct Wanted {
    std::string id;
    std::string preset;
    ImageFormat format = ImageFormat::Jpeg;
    std::uint64_t asks = 0;
};

/// How often each rendition (original, preset, format) has been asked for, so that a re-render
/// after a style change starts with what viewers want most. Bounded: past kMaxEntries every
/// count is halved and those at zero are forgotten, so old demand fades. Thread-safe; counting
/// is one short lock (every image request counts).
class RenditionDemand {
public:
    static constexpr std::size_t kMaxEntries = 200'000;

    void count(std::string_view id, std::string_view preset, ImageFormat format);

    /// The renditions of `presets` asked for, most asked first.
    std::vector<Wanted> most_wanted(const std::vector<std::string>& presets) const;

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::uint64_t> asks_;  // "<id> <preset> <format>"
};

}  // namespace imgline::app
