#pragma once

#include "pipeline/render_plan.h"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace imgline::pipeline {

/// One encode tried by the search.
struct Attempt {
    int quality = 0;
    std::uint64_t bytes = 0;
};

/// How the size of an encoded photo grows with quality, for one format: ln(bytes) relative to
/// quality 75, sampled every 5 from 30 to 95 (measured on ../shared/corpus at the built-in
/// presets; bench/budget prints the curves). One encode fixes the image's own offset, so the
/// second guess is usually close.
struct SizeModel {
    std::array<double, 14> shape{};  // at q = 30, 35, ..., 95
    /// ln(bytes per pixel) at quality 75 for complexity 1, and how it grows with ln(complexity).
    double offset_at_75 = 0;
    double complexity_exponent = 0;

    /// ln(bytes) relative to quality 75 (increasing in quality).
    double relative_log_size(double quality) const;

    static const SizeModel& for_format(ImageFormat format);
};

/// The byte-budget search, pure: it proposes qualities, is told the sizes they gave, and
/// decides when to stop. It steps along the format's size curve (fitted to the points seen so
/// far, or stretched as a proxy measured it), aims a little under the budget, keeps every
/// proposal strictly between the best quality that fits and the lowest that does not, and
/// stops when no integer quality is left between the two, after `max_encodes`, or when a
/// result is within `close_enough` of the budget and the curve says the next quality up would
/// not fit.
class QualitySearch {
public:
    struct Options {
        int start_quality = 75;
        const SizeModel* model = nullptr;  // nullptr: the JPEG model
        int max_encodes = 4;
        /// A fitting result with at least this share of the budget ends the search, unless the
        /// size curve says the next quality up fits too.
        double close_enough = 0.95;
        /// How much steeper than the format's model this image's size curve is, when known
        /// beforehand (from a SizeProxy); used until two encodes measure it.
        double prior_stretch = 1.0;
        /// The share of the budget a proposal aims at: under 1 leaves room for the size curve
        /// being only guessed; near 1 when it is known (rounding down to an integer quality
        /// keeps a little room anyway).
        double aim = 0.975;
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
    /// The size curve through the attempts: the point it is anchored on and its stretch.
    struct Curve {
        Attempt anchor;
        double scale = 1.0;
    };

    Curve fitted_curve() const;
    int quality_for(double relative_log_size, int low, int high) const;

    Budget budget_;
    Options options_;
    std::vector<Attempt> attempts_;
};

/// A first guess of the quality that meets the budget for an image of `pixels` with the given
/// `complexity` (mean absolute gradient, see budget.cpp), from the format's size model.
/// Clamped to the budget's quality range.
int predict_quality(ImageFormat format,
                    std::uint64_t pixels,
                    double complexity,
                    const Budget& budget);

}  // namespace imgline::pipeline
