#include "pipeline/budget.h"

#include <cmath>

#include "pipeline/encode.h"
#include "pipeline/quality_search.h"

namespace imgline::pipeline {
namespace {

using vips::VImage;

// libvips itself switches JPEG to 4:4:4 from this quality; we weigh it instead of inheriting it.
constexpr int kFullChromaFrom = 90;
// Shrink a little more than √(budget/bytes) so the one extra encode lands under the budget.
constexpr double kShrinkMargin = 0.92;
constexpr int kPngLossless = 100;

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

private:
    VImage image_;
    ImageFormat format_;
    const DeadlineGuard& guard_;
    int encodes_ = 0;
};

Rendition make_rendition(std::string bytes, const Encoder& encoder, ImageFormat format,
                         int quality, const Budget& budget) {
    Rendition rendition;
    rendition.budget_met = bytes.size() <= budget.max_bytes;
    rendition.bytes = std::move(bytes);
    rendition.format = format;
    rendition.width = encoder.image().width();
    rendition.height = encoder.image().height();
    rendition.quality = quality;
    rendition.encodes = encoder.encodes();
    return rendition;
}

}  // namespace

Expected<Rendition> encode_under_budget(const VImage& image, ImageFormat format,
                                        const Budget& budget, std::optional<int> learned_quality,
                                        const DeadlineGuard& guard) {
    Encoder encoder(image, format, guard);
    if (format == ImageFormat::Png) {
        // Cut-outs first try lossless; a palette is the fallback when that is too big.
        auto lossless = encoder(kPngLossless);
        if (!lossless) {
            return tl::unexpected(lossless.error());
        }
        if (lossless->size() <= budget.max_bytes) {
            return make_rendition(std::move(*lossless), encoder, format, kPngLossless, budget);
        }
    }
    const auto pixels = static_cast<std::uint64_t>(image.width()) *
                        static_cast<std::uint64_t>(image.height());
    QualitySearch search(budget,
                         {learned_quality.value_or(predict_quality(format, pixels, budget)),
                          prior_slope(format), 4, 0.95});
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
    if (auto fit = search.best_fit()) {
        const bool weigh_chroma = (format == ImageFormat::Jpeg || format == ImageFormat::Avif) &&
                                  fit->quality >= kFullChromaFrom;
        if (weigh_chroma) {
            auto full = encoder(fit->quality, true);
            if (full && full->size() <= budget.max_bytes) {
                auto rendition = make_rendition(std::move(*full), encoder, format, fit->quality,
                                                budget);
                rendition.chroma_full = true;
                return rendition;
            }
        }
        return make_rendition(std::move(best), encoder, format, fit->quality, budget);
    }

    // Nothing fitted. Know the size at quality_min, then shrink once and try again.
    std::uint64_t at_minimum = 0;
    if (auto over = search.lowest_over(); over && over->quality == budget.quality_min) {
        at_minimum = over->bytes;
    } else {
        auto bytes = encoder(budget.quality_min);
        if (!bytes) {
            return tl::unexpected(bytes.error());
        }
        if (bytes->size() <= budget.max_bytes) {
            return make_rendition(std::move(*bytes), encoder, format, budget.quality_min, budget);
        }
        at_minimum = bytes->size();
    }
    const double scale = kShrinkMargin * std::sqrt(static_cast<double>(budget.max_bytes) /
                                                   static_cast<double>(at_minimum));
    try {
        encoder.replace_image(image.resize(scale).copy_memory());
    } catch (const vips::VError& error) {
        return fail(ErrorCode::Internal, "the image could not be resized", error.what());
    }
    auto smaller = encoder(budget.quality_min);
    if (!smaller) {
        return tl::unexpected(smaller.error());
    }
    auto rendition =
        make_rendition(std::move(*smaller), encoder, format, budget.quality_min, budget);
    rendition.shrunk = true;
    return rendition;
}

}  // namespace imgline::pipeline
