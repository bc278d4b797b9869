#include "cdn/edge_choice.h"

#include <cmath>
#include <limits>

namespace imgline::cdn {
namespace {

// 64-bit FNV-1a over the image key and the edge name, finished with the SplitMix64 mixer:
// stable across processes and machines (every origin steers an image the same way).
std::uint64_t hash_pair(std::string_view image, std::string_view edge) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    auto feed = [&](std::string_view text) {
        for (const char c : text) {
            hash ^= static_cast<unsigned char>(c);
            hash *= 0x100000001b3ULL;
        }
    };
    feed(image);
    feed(std::string_view("\0", 1));
    feed(edge);
    hash ^= hash >> 30;
    hash *= 0xbf58476d1ce4e5b9ULL;
    hash ^= hash >> 27;
    hash *= 0x94d049bb133111ebULL;
    hash ^= hash >> 31;
    return hash;
}

// Weighted rendezvous score: -weight / ln(u) with u uniform in (0, 1) from the hash; the
// highest score wins, and an edge wins a share of keys proportional to its weight.
double score(std::string_view image, const config::EdgeConfig& edge) {
    const double unit =
        (static_cast<double>(hash_pair(image, edge.name) >> 11) + 0.5) / 9007199254740992.0;
    return -static_cast<double>(edge.weight) / std::log(unit);
}

const config::EdgeConfig* pick(const std::vector<config::EdgeConfig>& edges,
                               const std::vector<bool>& healthy,
                               std::string_view line,
                               std::string_view image) {
    const config::EdgeConfig* best = nullptr;
    double best_score = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < edges.size(); ++i) {
        if (edges[i].carrier != line || (i < healthy.size() && !healthy[i])) {
            continue;
        }
        const double candidate = score(image, edges[i]);
        if (candidate > best_score) {
            best = &edges[i];
            best_score = candidate;
        }
    }
    return best;
}

}  // namespace

std::string_view reason_name(SteerReason reason) {
    switch (reason) {
        case SteerReason::CarrierMatch:
            return "carrier-match";
        case SteerReason::MultilineFallback:
            return "multiline-fallback";
        case SteerReason::DefaultLine:
            return "default-line";
        case SteerReason::OriginFallback:
            return "origin-fallback";
    }
    return "origin-fallback";
}

EdgeChoice choose_edge(const std::vector<config::EdgeConfig>& edges,
                       const std::vector<bool>& healthy,
                       std::string_view carrier,
                       std::string_view image_key) {
    const bool on_default = carrier.empty() || carrier == "default";
    if (!on_default) {
        if (const auto* edge = pick(edges, healthy, carrier, image_key)) {
            return {edge, SteerReason::CarrierMatch};
        }
    }
    const auto* multiline = pick(edges, healthy, "multiline", image_key);
    const auto* fallback = pick(edges, healthy, "default", image_key);
    if (on_default && fallback != nullptr) {
        return {fallback, SteerReason::DefaultLine};
    }
    if (multiline != nullptr) {
        return {multiline, SteerReason::MultilineFallback};
    }
    if (fallback != nullptr) {
        return {fallback, SteerReason::DefaultLine};
    }
    return {nullptr, SteerReason::OriginFallback};
}

bool HealthState::record(bool ok) {
    if (ok == up_) {
        streak_ = 0;
        return false;
    }
    ++streak_;
    if (streak_ >= (up_ ? fall_ : rise_)) {
        up_ = ok;
        streak_ = 0;
        return true;
    }
    return false;
}

}  // namespace imgline::cdn
