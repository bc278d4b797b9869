#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "pipeline/render_plan.h"

namespace imgline::pipeline {

/// One encode tried by the search.
struct Attempt {
    int quality = 0;
    std::uint64_t bytes = 0;
};

/// The byte-budget search, pure: it proposes qualities, is told the sizes they gave, and
/// decides when to stop. Sizes grow roughly exponentially with quality, so it steps with the
/// secant of log(bytes) against quality (one prior slope for the first step), aims a little
/// under the budget, keeps every proposal strictly between the best quality that fits and the
/// lowest that does not, and stops when the result is within `close_enough` of the budget,
/// when no integer quality is left between the two, or after `max_encodes`.
class QualitySearch {
public:
    struct Options {
        int start_quality = 75;
        /// d ln(bytes) / d quality assumed before two points are known.
        double prior_slope = 0.035;
        int max_encodes = 4;
        /// Stop once a fitting result has at least this share of the budget.
        double close_enough = 0.95;
    };

    QualitySearch(Budget budget, Options options);

    /// The next quality to encode at, or nullopt when the search is over.
    std::optional<int> next() const;

    /// Records what `quality` gave.
    void record(int quality, std::uint64_t bytes);

    /// The highest quality that fitted, if any did.
    std::optional<Attempt> best_fit() const;

    /// The lowest quality tried that did not fit, if any.
    std::optional<Attempt> lowest_over() const;

    int encodes() const {
        return static_cast<int>(attempts_.size());
    }

private:
    Budget budget_;
    Options options_;
    std::vector<Attempt> attempts_;
};

/// A first guess of the quality that meets `max_bytes` for an image of `pixels` in `format`,
/// from the bits per pixel the budget allows (a coarse per-format model; the search corrects
/// it). Clamped to the budget's quality range.
int predict_quality(ImageFormat format, std::uint64_t pixels, const Budget& budget);

/// The prior slope d ln(bytes)/d quality for `format`.
double prior_slope(ImageFormat format);

}  // namespace imgline::pipeline
