#pragma once

#include "config/config.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace imgline::cdn {

/// Why a viewer was sent where they were (logs, metrics, X-Imgline-Edge).
enum class SteerReason { CarrierMatch, MultilineFallback, DefaultLine, OriginFallback };

std::string_view reason_name(SteerReason reason);

/// The edge chosen for one viewer and image; `edge` is null when the origin serves.
struct EdgeChoice {
    const config::EdgeConfig* edge = nullptr;
    SteerReason reason = SteerReason::OriginFallback;
};

/// Picks the edge for a viewer on `carrier` asking for `image_key` (pure):
/// a healthy edge of that carrier → else a healthy "multiline" edge → else a healthy
/// "default" edge → else the origin. (A viewer on the default line tries default edges before
/// multiline ones.) Among candidates, weighted rendezvous hashing on (image, edge name) picks
/// one, so an image stays on one edge while the set is unchanged, and removing an edge moves
/// only that edge's images. `healthy[i]` is edges[i]'s state.
EdgeChoice choose_edge(const std::vector<config::EdgeConfig>& edges,
                       const std::vector<bool>& healthy,
                       std::string_view carrier,
                       std::string_view image_key);

/// An edge's health from its polls: it leaves the rotation after `fall` failed polls in a row
/// and comes back after `rise` good ones in a row. Starts up. Pure state machine.
class HealthState {
public:
    HealthState(std::uint64_t rise, std::uint64_t fall) : rise_(rise), fall_(fall) {}

    /// Records one poll; returns true when the state changed.
    bool record(bool ok);

    bool up() const {
        return up_;
    }

private:
    std::uint64_t rise_;
    std::uint64_t fall_;
    bool up_ = true;
    std::uint64_t streak_ = 0;  // polls in a row that disagree with the current state
};

}  // namespace imgline::cdn
