#include "pipeline/quality_search.h"

#include <algorithm>
#include <cmath>

namespace imgline::pipeline {
namespace {

// Aim this far under the budget so an error of the model lands on the fitting side.
constexpr double kAim = 0.975;
constexpr int kFirstSample = 30;
constexpr int kSampleStep = 5;

double ln(std::uint64_t bytes) {
    return std::log(static_cast<double>(std::max<std::uint64_t>(bytes, 1)));
}

// Fitted to `bench/budget --curves` over ../shared/corpus: the mean curve per format, and a
// least-squares line of ln(bytes per pixel at q75) on ln(complexity). JPEG is libjpeg-turbo
// 2.1.5 at 4:2:0, WebP libwebp 1.2.4 at method 4. AVIF and PNG palettes have no corpus fit yet:
// AVIF borrows WebP's shape, PNG a flattened JPEG shape; the search corrects either after one
// encode.
const SizeModel kJpeg{{-0.722, -0.619, -0.543, -0.463, -0.400, -0.338, -0.267, -0.184, -0.094,
                       0.000, 0.130, 0.285, 0.502, 0.840},
                      -3.859,
                      0.711};
const SizeModel kWebp{{-0.612, -0.527, -0.449, -0.375, -0.306, -0.236, -0.174, -0.116, -0.058,
                       0.000, 0.188, 0.401, 0.667, 1.029},
                      -4.730,
                      0.920};
const SizeModel kAvif{kWebp.shape, -5.2, 0.9};
const SizeModel kPng{{-0.361, -0.310, -0.272, -0.232, -0.200, -0.169, -0.134, -0.092, -0.047, 0.000,
                      0.066, 0.143, 0.251, 0.420},
                     -2.5,
                     0.6};

}  // namespace

double SizeModel::relative_log_size(double quality) const {
    const double position = (quality - kFirstSample) / kSampleStep;
    const auto last = static_cast<double>(shape.size() - 1);
    // Extrapolate linearly past either end with the nearest segment's slope.
    const double clamped = std::clamp(std::floor(position), 0.0, last - 1);
    const auto index = static_cast<std::size_t>(clamped);
    const double t = position - clamped;
    return shape[index] * (1 - t) + shape[index + 1] * t;
}

const SizeModel& SizeModel::for_format(ImageFormat format) {
    switch (format) {
        case ImageFormat::Webp:
            return kWebp;
        case ImageFormat::Avif:
            return kAvif;
        case ImageFormat::Png:
            return kPng;
        default:
            return kJpeg;
    }
}

QualitySearch::QualitySearch(Budget budget, Options options) : budget_(budget), options_(options) {
    if (options_.model == nullptr) {
        options_.model = &kJpeg;
    }
}

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

int QualitySearch::quality_for(double relative_log_size, int low, int high) const {
    // The model is increasing in quality: take the highest quality at or under the target.
    int quality = low;
    for (int candidate = low; candidate <= high; ++candidate) {
        if (options_.model->relative_log_size(candidate) <= relative_log_size) {
            quality = candidate;
        }
    }
    return quality;
}

QualitySearch::Curve QualitySearch::fitted_curve() const {
    // ln(bytes) ≈ offset + scale · model(q): one point fixes the offset (scale 1); two points
    // around the budget (or the last two) fix the scale too.
    const SizeModel& model = *options_.model;
    const auto fit = best_fit();
    const auto over = lowest_over();
    const Attempt& anchor = fit && over ? *fit : attempts_.back();
    const Attempt* other = fit && over             ? &*over
                           : attempts_.size() >= 2 ? &attempts_[attempts_.size() - 2]
                                                   : nullptr;
    double scale = options_.prior_stretch;
    if (other != nullptr && other->quality != anchor.quality) {
        const double spread =
            model.relative_log_size(other->quality) - model.relative_log_size(anchor.quality);
        const double measured = ln(other->bytes) - ln(anchor.bytes);
        if (spread != 0 && measured / spread > 0.05) {
            scale = measured / spread;
        }
    }
    return {anchor, scale};
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
    // The qualities still worth trying lie strictly between the best fit and the lowest miss.
    const int low = fit ? fit->quality + 1 : budget_.quality_min;
    const int high = over ? over->quality - 1 : budget_.quality_max;
    if (low > high) {
        return std::nullopt;
    }
    const auto [anchor, scale] = fitted_curve();
    const SizeModel& model = *options_.model;
    const double budget = static_cast<double>(budget_.max_bytes);
    // Aim a little under the budget, or, once a result is close under it, at the budget itself:
    // then the search goes on only while the next quality up is expected to fit.
    double aim = options_.aim;
    if (fit && static_cast<double>(fit->bytes) >= options_.close_enough * budget) {
        const double next_up = ln(fit->bytes) + scale * (model.relative_log_size(fit->quality + 1) -
                                                         model.relative_log_size(fit->quality));
        if (next_up > std::log(budget)) {
            return std::nullopt;
        }
        aim = 1.0;
    }
    const double wanted = model.relative_log_size(anchor.quality) +
                          (std::log(aim * budget) - ln(anchor.bytes)) / scale;
    return quality_for(wanted, low, high);
}

int predict_quality(ImageFormat format,
                    std::uint64_t pixels,
                    double complexity,
                    const Budget& budget) {
    const SizeModel& model = SizeModel::for_format(format);
    const double per_pixel = kAim * static_cast<double>(budget.max_bytes) /
                             static_cast<double>(std::max<std::uint64_t>(pixels, 1));
    const double wanted = std::log(per_pixel) - model.offset_at_75 -
                          model.complexity_exponent * std::log(std::max(complexity, 0.01));
    int quality = budget.quality_min;
    for (int candidate = budget.quality_min; candidate <= budget.quality_max; ++candidate) {
        if (model.relative_log_size(candidate) <= wanted) {
            quality = candidate;
        }
    }
    return quality;
}

}  // namespace imgline::pipeline
