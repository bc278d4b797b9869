#include "pipeline/quality_search.h"

#include <algorithm>
#include <cmath>

namespace imgline::pipeline {
namespace {

// Aim this far under the budget so the secant's error lands on the fitting side.
constexpr double kAim = 0.975;

}  // namespace

QualitySearch::QualitySearch(Budget budget, Options options)
    : budget_(budget), options_(options) {}

void QualitySearch::record(int quality, std::uint64_t bytes) {
    attempts_.push_back(Attempt{quality, bytes});
}

std::optional<Attempt> QualitySearch::best_fit() const {
    std::optional<Attempt> best;
    for (const auto& attempt : attempts_) {
        if (attempt.bytes <= budget_.max_bytes && (!best || attempt.quality > best->quality)) {
            best = attempt;
        }
    }
    return best;
}

std::optional<Attempt> QualitySearch::lowest_over() const {
    std::optional<Attempt> lowest;
    for (const auto& attempt : attempts_) {
        if (attempt.bytes > budget_.max_bytes && (!lowest || attempt.quality < lowest->quality)) {
            lowest = attempt;
        }
    }
    return lowest;
}

std::optional<int> QualitySearch::next() const {
    if (attempts_.empty()) {
        return std::clamp(options_.start_quality, budget_.quality_min, budget_.quality_max);
    }
    if (encodes() >= options_.max_encodes) {
        return std::nullopt;
    }
    const auto fit = best_fit();
    const auto over = lowest_over();
    // The open interval of qualities still worth trying.
    const int low = fit ? fit->quality + 1 : budget_.quality_min;
    const int high = over ? over->quality - 1 : budget_.quality_max;
    if (low > high) {
        return std::nullopt;  // the best fit is the quality just under one that failed
    }
    if (fit && static_cast<double>(fit->bytes) >=
                   options_.close_enough * static_cast<double>(budget_.max_bytes)) {
        return std::nullopt;  // close enough under the budget
    }
    // Secant through the two points around the budget (or the last two), else the prior slope.
    const Attempt& anchor = fit && over ? (fit->bytes > 0 ? *fit : *over) : attempts_.back();
    double slope = options_.prior_slope;
    if (fit && over && fit->bytes > 0 && over->quality != fit->quality) {
        slope = (std::log(static_cast<double>(over->bytes)) -
                 std::log(static_cast<double>(fit->bytes))) /
                (over->quality - fit->quality);
    } else if (attempts_.size() >= 2) {
        const auto& a = attempts_[attempts_.size() - 2];
        const auto& b = attempts_.back();
        if (a.quality != b.quality && a.bytes > 0 && b.bytes > 0) {
            slope = (std::log(static_cast<double>(b.bytes)) -
                     std::log(static_cast<double>(a.bytes))) /
                    (b.quality - a.quality);
        }
    }
    if (!(slope > 1e-4)) {
        slope = options_.prior_slope;  // flat or inverted: sizes did not follow quality
    }
    const double target = std::log(kAim * static_cast<double>(budget_.max_bytes));
    const double guess = anchor.quality +
                         (target - std::log(static_cast<double>(std::max<std::uint64_t>(
                                       anchor.bytes, 1)))) /
                             slope;
    return std::clamp(static_cast<int>(std::floor(guess)), low, high);
}

double prior_slope(ImageFormat format) {
    switch (format) {
        case ImageFormat::Webp: return 0.030;
        case ImageFormat::Avif: return 0.040;
        case ImageFormat::Png: return 0.020;
        default: return 0.035;
    }
}

int predict_quality(ImageFormat format, std::uint64_t pixels, const Budget& budget) {
    const double bits_per_pixel =
        8.0 * static_cast<double>(budget.max_bytes) / static_cast<double>(std::max<std::uint64_t>(pixels, 1));
    // Quality at 1 bit per pixel and the gain per doubling, for typical product photos.
    double at_one_bpp = 82;
    double per_doubling = 16;
    switch (format) {
        case ImageFormat::Webp: at_one_bpp = 88; per_doubling = 14; break;
        case ImageFormat::Avif: at_one_bpp = 92; per_doubling = 12; break;
        case ImageFormat::Png: at_one_bpp = 60; per_doubling = 20; break;
        default: break;
    }
    const double guess = at_one_bpp + per_doubling * std::log2(bits_per_pixel);
    return std::clamp(static_cast<int>(std::lround(guess)), budget.quality_min, budget.quality_max);
}

}  // namespace imgline::pipeline
