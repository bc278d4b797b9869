#include "pipeline/budget.h"

#include "pipeline/encode.h"
#include "pipeline/quality_search.h"
#include "pipeline/size_proxy.h"
#include "pipeline/vips_source.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

namespace imgline::pipeline {
namespace {

using vips::VImage;

// libvips itself switches JPEG to 4:4:4 from this quality; we weigh it instead of inheriting it.
constexpr int kFullChromaFrom = 90;
// 4:4:4 costs roughly a third more bytes than 4:2:0; only try it where that can still fit.
constexpr double kFullChromaRoom = 0.7;
// Encoded size grows more slowly than the pixel count (smaller images cost more bits per
// pixel), so the one shrink uses (budget/bytes)^0.6 rather than the square root, with a margin,
// to land under the budget with one extra encode.
constexpr double kShrinkExponent = 0.6;
constexpr double kShrinkMargin = 0.95;
constexpr int kPngLossless = 100;
// Encodes the search may spend, the 4:4:4 trial included (the shrink fallback comes on top).
constexpr int kMaxEncodes = 4;
// A fitting encode with this share of the budget ends the search, unless the image's size
// curve says the next quality up fits too.
constexpr double kCloseEnough = 0.95;

// The size proxy's bytes times its area ratio overestimate the image's (tile borders cost bits
// the image does not spend). Medians over ../shared/corpus at qualities 70 and 90: 1.035 JPEG,
// 1.147 WebP (`bench/budget --proxy [--format webp]`). Divisors near them, tried over the corpus
// (`bench/budget [--format webp]`, mean encodes): JPEG 1.00 → 1.80, 1.02 → 1.57, 1.04 → 1.47;
// WebP 1.06 → 1.67, 1.10 → 1.53, 1.12 → 1.50, 1.15 → 1.73. AVIF borrows WebP's.
double proxy_overestimate(ImageFormat format) {
    return format == ImageFormat::Jpeg ? 1.04 : 1.12;
}

// Where the real encodes aim, as a share of the budget: close to it once the proxy has shown
// the curve's stretch (99 % gave 1.47 JPEG / 1.50 WebP mean encodes over the corpus, 97.5 %
// 1.57 / 1.60, 100 % 1.47 / 1.57); further under when the start is the model's guess.
constexpr double kAimWithProxy = 0.99;
constexpr double kAimWithModel = 0.975;
// The proxy's curve stretch is read from attempts at least this many qualities apart.
constexpr int kMinStretchSpread = 6;
constexpr int kProxyEncodes = 3;
constexpr double kProxyCloseEnough = 0.98;

class Encoder {
public:
    Encoder(const VImage& image, ImageFormat format, const DeadlineGuard& guard)
        : image_(image), format_(format), guard_(guard) {}

    Expected<std::string> operator()(int quality, bool chroma_full = false) {
        if (guard_.expired()) {
            return fail(ErrorCode::Timeout, "rendering took too long");
        }
        ++encodes_;
        auto bytes = encode(image_, EncodeSettings{format_, quality, chroma_full});
        if (!bytes && guard_.expired()) {
            return fail(ErrorCode::Timeout, "rendering took too long", bytes.error().detail);
        }
        return bytes;
    }

    void replace_image(const VImage& image) {
        image_ = image;
    }

    const VImage& image() const {
        return image_;
    }

    int encodes() const {
        return encodes_;
    }

    /// Encodes of the size proxy spent on the first guess for this image.
    void count_proxy_encodes(int count) {
        proxy_encodes_ += count;
    }

    int proxy_encodes() const {
        return proxy_encodes_;
    }

private:
    VImage image_;
    ImageFormat format_;
    const DeadlineGuard& guard_;
    int encodes_ = 0;
    int proxy_encodes_ = 0;
};

}  // namespace

// One function: a single pass of pixel arithmetic, clearer whole than split.
double complexity_of(const VImage& image) {
    // Box-shrunk to about 256 px wide, in plain arithmetic on the pixels (already in memory
    // after the transform): about a millisecond, where a chain of libvips operations costs
    // several and a resampling thumbnail thirty.
    const VImage source =
        image.format() == VIPS_FORMAT_UCHAR ? image : image.cast(VIPS_FORMAT_UCHAR).copy_memory();
    const int factor = std::max(1, source.width() / 256);
    const int w = source.width() / factor;
    const int h = source.height() / factor;
    if (w < 2 || h < 2) {
        return 1.0;
    }
    // Luminance as libvips' B_W: Rec. 709 weights on linear light, encoded back to sRGB.
    static const auto linear = [] {
        std::array<double, 256> table{};
        for (std::size_t v = 0; v < table.size(); ++v) {
            const double c = static_cast<double>(v) / 255.0;
            table[v] = c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
        }
        return table;
    }();
    static const auto encoded = [] {
        std::array<double, 4096> table{};
        for (std::size_t i = 0; i < table.size(); ++i) {
            const double y = static_cast<double>(i) / (table.size() - 1);
            const double c = y <= 0.0031308 ? 12.92 * y : 1.055 * std::pow(y, 1.0 / 2.4) - 0.055;
            table[i] = std::round(c * 255.0);
        }
        return table;
    }();
    const int bands = source.bands();
    const std::size_t row_bytes = static_cast<std::size_t>(source.width()) * bands;
    const auto* pixels = static_cast<const std::uint8_t*>(source.data());
    const double block = static_cast<double>(factor) * factor;
    std::vector<double> grey(static_cast<std::size_t>(w) * h);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            std::array<double, 3> sum{};
            for (int dy = 0; dy < factor; ++dy) {
                const std::uint8_t* p = pixels +
                                        (static_cast<std::size_t>(y) * factor + dy) * row_bytes +
                                        static_cast<std::size_t>(x) * factor * bands;
                for (int dx = 0; dx < factor; ++dx, p += bands) {
                    for (int c = 0; c < std::min(bands, 3); ++c) {
                        sum[c] += p[c];
                    }
                }
            }
            const auto mean = [&](int c) {
                return static_cast<std::size_t>(std::lround(sum[c] / block));
            };
            const double luminance =
                bands >= 3
                    ? 0.2126 * linear[mean(0)] + 0.7152 * linear[mean(1)] + 0.0722 * linear[mean(2)]
                    : linear[mean(0)];
            grey[static_cast<std::size_t>(y) * w + x] =
                encoded[static_cast<std::size_t>(std::lround(luminance * 4095.0))];
        }
    }
    double across = 0;
    double down = 0;
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const double here = grey[static_cast<std::size_t>(y) * w + x];
            if (x + 1 < w) {
                across += std::abs(grey[static_cast<std::size_t>(y) * w + x + 1] - here);
            }
            if (y + 1 < h) {
                down += std::abs(grey[static_cast<std::size_t>(y + 1) * w + x] - here);
            }
        }
    }
    return across / (static_cast<double>(w - 1) * h) + down / (static_cast<double>(h - 1) * w);
}

namespace {

Rendition make_rendition(std::string bytes,
                         const Encoder& encoder,
                         ImageFormat format,
                         int quality,
                         const Budget& budget) {
    Rendition rendition;
    rendition.budget_met = bytes.size() <= budget.max_bytes;
    rendition.bytes = std::move(bytes);
    rendition.format = format;
    rendition.width = encoder.image().width();
    rendition.height = encoder.image().height();
    rendition.quality = quality;
    rendition.encodes = encoder.encodes();
    rendition.proxy_encodes = encoder.proxy_encodes();
    return rendition;
}

// Where the search starts: the quality expected to fit, how steep this image's size curve is,
// and whether 4:4:4 at the top quality is expected to fit.
struct FirstGuess {
    int quality = 0;
    double stretch = 1.0;
    bool full_chroma_fits = false;
    int proxy_encodes = 0;
};

// From the size proxy: a short search on the mosaic (a tenth of the pixels), its sizes scaled
// up to the image's.
Expected<FirstGuess> guess_with_proxy(const SizeProxy& proxy,
                                      ImageFormat format,
                                      const Budget& budget,
                                      bool has_chroma_choice,
                                      const DeadlineGuard& guard) {
    const double to_image = proxy.area_ratio / proxy_overestimate(format);
    const Budget scaled{
        static_cast<std::uint64_t>(static_cast<double>(budget.max_bytes) / to_image),
        budget.quality_min, budget.quality_max};
    const SizeModel& model = SizeModel::for_format(format);
    Encoder encoder(proxy.mosaic, format, guard);
    QualitySearch search(scaled, {(budget.quality_min + budget.quality_max) / 2, &model,
                                  kProxyEncodes, kProxyCloseEnough});
    std::optional<Attempt> lowest;
    std::optional<Attempt> highest;
    while (auto quality = search.next()) {
        auto bytes = encoder(*quality);
        if (!bytes) {
            return tl::unexpected(bytes.error());
        }
        search.record(*quality, bytes->size());
        const Attempt attempt{*quality, bytes->size()};
        if (!lowest || attempt.quality < lowest->quality) {
            lowest = attempt;
        }
        if (!highest || attempt.quality > highest->quality) {
            highest = attempt;
        }
    }
    // The stretch of the image's curve, from the two attempts furthest apart: neighbouring
    // qualities differ by less than the encoder's own noise.
    double stretch = 1.0;
    if (lowest && highest->quality - lowest->quality >= kMinStretchSpread) {
        const double measured =
            std::log(static_cast<double>(highest->bytes) /
                     static_cast<double>(std::max<std::uint64_t>(lowest->bytes, 1)));
        const double spread =
            model.relative_log_size(highest->quality) - model.relative_log_size(lowest->quality);
        if (measured > 0 && spread > 0) {
            stretch = std::clamp(measured / spread, 0.5, 2.0);
        }
    }
    FirstGuess guess{budget.quality_min, stretch, false, 0};
    if (auto fit = search.best_fit()) {
        guess.quality = fit->quality;
    }
    if (has_chroma_choice && budget.quality_max >= kFullChromaFrom &&
        guess.quality >= budget.quality_max) {
        auto full = encoder(budget.quality_max, true);
        if (!full) {
            return tl::unexpected(full.error());
        }
        guess.full_chroma_fits =
            static_cast<double>(full->size()) <= static_cast<double>(scaled.max_bytes);
    }
    guess.proxy_encodes = encoder.encodes();
    return guess;
}

// Without a proxy (small images, PNG palettes): from the size model and the picture's
// complexity.
FirstGuess guess_with_model(const VImage& image,
                            ImageFormat format,
                            const Budget& budget,
                            bool has_chroma_choice) {
    const auto pixels =
        static_cast<std::uint64_t>(image.width()) * static_cast<std::uint64_t>(image.height());
    const double complexity = complexity_of(image);
    FirstGuess guess{predict_quality(format, pixels, complexity, budget), 1.0, false};
    // Roomy: the model expects the top quality to fit even with the third more that 4:4:4 costs.
    guess.full_chroma_fits =
        has_chroma_choice && budget.quality_max >= kFullChromaFrom &&
        guess.quality >= budget.quality_max &&
        predict_quality(format, pixels, complexity,
                        Budget{static_cast<std::uint64_t>(kFullChromaRoom *
                                                          static_cast<double>(budget.max_bytes)),
                               budget.quality_min, budget.quality_max}) >= budget.quality_max;
    return guess;
}

Expected<FirstGuess> first_guess(const VImage& image,
                                 ImageFormat format,
                                 const Budget& budget,
                                 bool has_chroma_choice,
                                 const DeadlineGuard& guard) {
    if (budget.quality_min >= budget.quality_max) {
        // A range of one quality (a URL's q:80) leaves nothing to predict.
        return FirstGuess{budget.quality_max, 1.0,
                          has_chroma_choice && budget.quality_max >= kFullChromaFrom};
    }
    try {
        if (format != ImageFormat::Png) {
            if (auto proxy = make_size_proxy(image)) {
                return guess_with_proxy(*proxy, format, budget, has_chroma_choice, guard);
            }
        }
        return guess_with_model(image, format, budget, has_chroma_choice);
    } catch (const vips::VError& error) {
        return vips_failure(ErrorCode::Internal, "the image could not be measured", error);
    }
}

// What a phase of the search ends with: a rendition that fits (the search is over), nothing (on
// to the next phase), or an encoder error.
using Phase = Expected<std::optional<Rendition>>;

// A phase that ended the search, as its result.
Expected<Rendition> settled(Phase phase) {
    if (!phase) {
        return tl::unexpected(phase.error());
    }
    return std::move(**phase);
}

bool chroma_is_a_choice(ImageFormat format) {
    return format == ImageFormat::Jpeg || format == ImageFormat::Avif;
}

Rendition finished(std::string bytes,
                   const Encoder& encoder,
                   ImageFormat format,
                   int quality,
                   const Budget& budget,
                   bool chroma_full) {
    auto rendition = make_rendition(std::move(bytes), encoder, format, quality, budget);
    rendition.chroma_full = chroma_full;
    return rendition;
}

// One encode at `quality` (and chroma): a rendition when it fits.
Phase try_once(
    Encoder& encoder, ImageFormat format, const Budget& budget, int quality, bool chroma_full) {
    auto bytes = encoder(quality, chroma_full);
    if (!bytes) {
        return tl::unexpected(bytes.error());
    }
    if (bytes->size() > budget.max_bytes) {
        return std::nullopt;
    }
    return finished(std::move(*bytes), encoder, format, quality, budget, chroma_full);
}

// Phase 1: cut-outs (PNG with alpha) first try lossless; a palette is the fallback.
Phase lossless_cutout(Encoder& encoder,
                      const VImage& image,
                      ImageFormat format,
                      const Budget& budget) {
    if (format != ImageFormat::Png || !image.has_alpha()) {
        return std::nullopt;
    }
    return try_once(encoder, format, budget, kPngLossless, false);
}

// Phase 2: where an earlier render of this rendition ended, which usually fits again.
Phase learned_quality(Encoder& encoder,
                      ImageFormat format,
                      const Budget& budget,
                      const std::optional<LearnedQuality>& learned) {
    if (!learned || learned->quality < budget.quality_min ||
        learned->quality > budget.quality_max) {
        return std::nullopt;
    }
    return try_once(encoder, format, budget, learned->quality, learned->chroma_full);
}

// Phase 4: the bisection from the first guess, then (for a fit near the top, with room left)
// whether full-resolution colour still fits at that quality. Without a fit, `at_minimum` gets
// the size at quality_min when the search measured it.
Phase searched(Encoder& encoder,
               ImageFormat format,
               const Budget& budget,
               const FirstGuess& first,
               std::optional<std::uint64_t>& at_minimum) {
    QualitySearch search(budget, {first.quality, &SizeModel::for_format(format),
                                  kMaxEncodes - encoder.encodes(), kCloseEnough, first.stretch,
                                  first.proxy_encodes > 0 ? kAimWithProxy : kAimWithModel});
    std::string best;
    while (auto quality = search.next()) {
        auto bytes = encoder(*quality);
        if (!bytes) {
            return tl::unexpected(bytes.error());
        }
        search.record(*quality, bytes->size());
        if (bytes->size() <= budget.max_bytes && search.best_fit()->quality == *quality) {
            best = std::move(*bytes);
        }
    }
    const auto fit = search.best_fit();
    if (!fit) {
        if (auto over = search.lowest_over(); over && over->quality == budget.quality_min) {
            at_minimum = over->bytes;
        }
        return std::nullopt;
    }
    const bool weigh_chroma =
        chroma_is_a_choice(format) && !first.full_chroma_fits && fit->quality >= kFullChromaFrom &&
        encoder.encodes() < kMaxEncodes &&
        static_cast<double>(fit->bytes) <= kFullChromaRoom * static_cast<double>(budget.max_bytes);
    if (weigh_chroma) {
        if (auto full = try_once(encoder, format, budget, fit->quality, true); full && *full) {
            return full;
        }
    }
    return finished(std::move(best), encoder, format, fit->quality, budget, false);
}

// Phase 5: nothing fitted at any quality. Shrink the image once by how size follows area, and
// if that was not enough, once more with the rate just measured (bytes ∝ area^rate).
Expected<Rendition> shrunk_to_fit(Encoder& encoder,
                                  const VImage& image,
                                  ImageFormat format,
                                  const Budget& budget,
                                  std::optional<std::uint64_t> at_minimum) {
    if (!at_minimum) {
        auto bytes = encoder(budget.quality_min);
        if (!bytes) {
            return tl::unexpected(bytes.error());
        }
        if (bytes->size() <= budget.max_bytes) {
            return finished(std::move(*bytes), encoder, format, budget.quality_min, budget, false);
        }
        at_minimum = bytes->size();
    }
    const auto over = static_cast<double>(*at_minimum);
    double scale =
        kShrinkMargin * std::pow(static_cast<double>(budget.max_bytes) / over, kShrinkExponent);
    std::string smallest;
    for (int step = 0; step < 2; ++step) {
        try {
            encoder.replace_image(image.resize(scale).copy_memory());
        } catch (const vips::VError& error) {
            return vips_failure(ErrorCode::Internal, "the image could not be resized", error);
        }
        auto smaller = encoder(budget.quality_min);
        if (!smaller) {
            return tl::unexpected(smaller.error());
        }
        const auto bytes = static_cast<double>(smaller->size());
        smallest = std::move(*smaller);
        if (bytes <= static_cast<double>(budget.max_bytes)) {
            break;
        }
        const double rate = std::log(bytes / over) / std::log(scale * scale);
        const double wanted = kShrinkMargin * static_cast<double>(budget.max_bytes) / bytes;
        scale *= std::pow(wanted, 1.0 / (2.0 * std::clamp(rate, 0.3, 1.5)));
    }
    auto rendition =
        finished(std::move(smallest), encoder, format, budget.quality_min, budget, false);
    rendition.shrunk = true;
    return rendition;
}

}  // namespace

// The phases in order; the first that ends with a rendition ends the search.
Expected<Rendition> encode_under_budget(const VImage& image,
                                        ImageFormat format,
                                        const Budget& budget,
                                        std::optional<LearnedQuality> learned,
                                        const DeadlineGuard& guard) {
    Encoder encoder(image, format, guard);
    if (auto done = lossless_cutout(encoder, image, format, budget); !done || *done) {
        return settled(std::move(done));
    }
    if (auto done = learned_quality(encoder, format, budget, learned); !done || *done) {
        return settled(std::move(done));
    }
    // Phase 3: the first guess, from the size proxy or the model.
    auto first = first_guess(image, format, budget, chroma_is_a_choice(format), guard);
    if (!first) {
        return tl::unexpected(first.error());
    }
    encoder.count_proxy_encodes(first->proxy_encodes);
    if (first->full_chroma_fits) {
        // The budget looks roomy: the best this format can give is full-resolution colour at
        // the top quality. When it fits, one encode is all it takes.
        if (auto done = try_once(encoder, format, budget, budget.quality_max, true);
            !done || *done) {
            return settled(std::move(done));
        }
    }
    std::optional<std::uint64_t> at_minimum;
    if (auto done = searched(encoder, format, budget, *first, at_minimum); !done || *done) {
        return settled(std::move(done));
    }
    return shrunk_to_fit(encoder, image, format, budget, at_minimum);
}

}  // namespace imgline::pipeline
