#include "cdn/negotiate.h"

#include "common/text.h"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace imgline::cdn {
namespace {

// True when `accept` lists `type` with a quality above zero. Parameters other than q are ignored;
// a malformed list simply accepts nothing special (the default variant).
bool accepts(std::string_view accept, std::string_view type) {
    std::size_t at = 0;
    while (at <= accept.size()) {
        const auto comma = accept.find(',', at);
        std::string_view item = accept.substr(
            at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
        at = comma == std::string_view::npos ? accept.size() + 1 : comma + 1;
        item = trim(item);
        const auto semicolon = item.find(';');
        if (!equals_ignoring_case(trim(item.substr(0, semicolon)), type)) {
            continue;
        }
        if (semicolon == std::string_view::npos) {
            return true;
        }
        const std::string_view params = item.substr(semicolon);
        const auto q = params.find("q=");
        if (q == std::string_view::npos) {
            return true;
        }
        // q=0 (in any spelling) refuses the type; any other weight accepts it.
        const std::string weight(params.substr(q + 2, params.find_first_of(" ;,", q + 2) - q - 2));
        return std::strtod(weight.c_str(), nullptr) > 0.0;
    }
    return false;
}

bool offers(const std::vector<ImageFormat>& offered, ImageFormat format) {
    return std::find(offered.begin(), offered.end(), format) != offered.end();
}

}  // namespace

Negotiated negotiate(std::string_view accept, const std::vector<ImageFormat>& offered) {
    if (offers(offered, ImageFormat::Avif) && accepts(accept, "image/avif")) {
        return {ImageFormat::Avif, "avif"};
    }
    if (offers(offered, ImageFormat::Webp) && accepts(accept, "image/webp")) {
        return {ImageFormat::Webp, "webp"};
    }
    for (const auto format : offered) {
        if (format == ImageFormat::Jpeg || format == ImageFormat::Png) {
            return {format, "default"};
        }
    }
    // A preset offering only modern formats still answers old clients with its first one.
    return {offered.empty() ? ImageFormat::Jpeg : offered.front(), "default"};
}

}  // namespace imgline::cdn
