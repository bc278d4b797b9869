#include "pipeline/brand_measure.h"

#include "pipeline/brand_pixels.h"
#include "pipeline/deadline_guard.h"
#include "pipeline/icc_profile.h"
#include "pipeline/png_reader.h"
#include "pipeline/transform.h"
#include "pipeline/vips_source.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace imgline::pipeline {
namespace {

using vips::VImage;

// The border ring is this share of the shorter side (at least one pixel).
constexpr double kBorderShare = 0.02;
// A row or column belongs to the product when this share of it differs from the background
// (and at least two pixels): single stray pixels and JPEG noise do not widen the box.
constexpr double kProductLineShare = 0.003;
// Sharpness is measured over the product box grown by this share of the side.
constexpr double kSharpnessMargin = 0.02;
// Colour, border and framing are measured at this long side.
constexpr int kColourSide = 512;
// A channel at or above this counts as blown out.
constexpr double kClippedLevel = 250.0;

std::vector<double> values_of(const VImage& image) {
    const VImage as_double = image.cast(VIPS_FORMAT_DOUBLE);
    std::size_t size = 0;
    void* memory = as_double.write_to_memory(&size);
    const auto* data = static_cast<const double*>(memory);
    std::vector<double> values(data, data + size / sizeof(double));
    g_free(memory);
    return values;
}

std::vector<double> lab_of(config::Rgb colour) {
    const VImage pixel =
        VImage::black(1, 1)
            .new_from_image({static_cast<double>(colour.r), static_cast<double>(colour.g),
                             static_cast<double>(colour.b)})
            .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB))
            .colourspace(VIPS_INTERPRETATION_LAB);
    return pixel.getpoint(0, 0);
}

// `stats` as plain numbers, read in one evaluation: row 0 is all bands, row 1 + b is band b;
// columns are min, max, sum, sum of squares, mean, deviation, and extreme positions.
class Stats {
public:
    explicit Stats(const VImage& image) : values_(values_of(image.stats())) {}

    double sum(int band) const {
        return values_[static_cast<std::size_t>((band + 1) * kColumns + 2)];
    }

    double mean(int band) const {
        return values_[static_cast<std::size_t>((band + 1) * kColumns + 4)];
    }

private:
    static constexpr int kColumns = 10;
    std::vector<double> values_;
};

// Sums per band over the border ring: the whole image's minus the inside's.
struct RingSums {
    std::vector<double> ring;
    double pixels = 0.0;
};

RingSums ring_sums(const VImage& image, int ring) {
    const Stats whole(image);
    const int inner_width = image.width() - 2 * ring;
    const int inner_height = image.height() - 2 * ring;
    RingSums sums;
    sums.pixels = static_cast<double>(image.width()) * image.height();
    sums.ring.resize(image.bands());
    for (int band = 0; band < image.bands(); ++band) {
        sums.ring[band] = whole.sum(band);
    }
    if (inner_width > 0 && inner_height > 0) {
        const Stats inner(image.extract_area(ring, ring, inner_width, inner_height));
        for (int band = 0; band < image.bands(); ++band) {
            sums.ring[band] -= inner.sum(band);
        }
        sums.pixels -= static_cast<double>(inner_width) * inner_height;
    }
    return sums;
}

// First and last index whose count reaches `least` (as a pair; first > last when none does).
std::pair<int, int> span_over(const std::vector<double>& counts, double least) {
    int first = static_cast<int>(counts.size());
    int last = -1;
    for (int i = 0; i < static_cast<int>(counts.size()); ++i) {
        if (counts[i] >= least) {
            first = std::min(first, i);
            last = i;
        }
    }
    return {first, last};
}

void measure_product(BrandMeasurements& m, const VImage& mask) {
    const int width = mask.width();
    const int height = mask.height();
    VImage rows;
    const VImage columns = (mask / 255).project(&rows);
    const auto [left, right] =
        span_over(values_of(columns), std::max(2.0, kProductLineShare * height));
    const auto [top, bottom] = span_over(values_of(rows), std::max(2.0, kProductLineShare * width));
    m.product_found = left <= right && top <= bottom;
    if (!m.product_found) {
        return;
    }
    m.product.left = static_cast<double>(left) / width;
    m.product.top = static_cast<double>(top) / height;
    m.product.width = static_cast<double>(right - left + 1) / width;
    m.product.height = static_cast<double>(bottom - top + 1) / height;
    m.fill = std::max(m.product.width, m.product.height);
    m.centre_offset = std::max(std::abs(m.product.left + m.product.width / 2 - 0.5),
                               std::abs(m.product.top + m.product.height / 2 - 0.5));
}

// Variance of the Laplacian of the luminance, over the product box grown a little.
double sharpness_of(const VImage& image, const BrandMeasurements& m) {
    const VImage grey = image.colourspace(VIPS_INTERPRETATION_B_W).extract_band(0);
    const VImage laplacian =
        grey.conv(VImage::new_matrixv(3, 3, 0.0, 1.0, 0.0, 1.0, -4.0, 1.0, 0.0, 1.0, 0.0),
                  VImage::option()->set("precision", VIPS_PRECISION_FLOAT));
    const int grow =
        std::max(4, static_cast<int>(kSharpnessMargin * std::max(image.width(), image.height())));
    const int left = std::max(0, static_cast<int>(m.product.left * image.width()) - grow);
    const int top = std::max(0, static_cast<int>(m.product.top * image.height()) - grow);
    const int right = std::min(
        image.width(),
        static_cast<int>(std::ceil((m.product.left + m.product.width) * image.width())) + grow);
    const int bottom = std::min(
        image.height(),
        static_cast<int>(std::ceil((m.product.top + m.product.height) * image.height())) + grow);
    if (right - left < 8 || bottom - top < 8) {
        return std::pow(laplacian.deviate(), 2);
    }
    return std::pow(laplacian.extract_area(left, top, right - left, bottom - top).deviate(), 2);
}

std::string colour_space_of(const ImageInfo& info) {
    if (info.is_cmyk) {
        return "CMYK";
    }
    if (!info.icc_description.empty()) {
        return info.icc_description;
    }
    if (info.has_icc) {
        return "embedded profile";
    }
    return info.is_grey ? "grey" : "sRGB";
}

// The photo at the analysis size. The common PNGs (large cut-outs above all) are decoded by
// pipeline/png_reader, about four times faster than libvips' PNG load, averaged in blocks down
// to no less than twice the analysis size, as far as libvips' own thumbnail shrinks before its
// resampler; libvips' thumbnail takes it from there, as it does every other image.
VImage decoded_for_analysis(const BorrowedBlob& blob,
                            const ImageInfo& info,
                            vips::VOption* options) {
    if (info.format == ImageFormat::Png && info.orientation <= 1) {
        const int shrink = std::max(1, std::max(info.width, info.height) / (2 * kAnalysisSide));
        if (auto pixels = read_png(blob.bytes(), shrink, kFastPngMaxRowBytes)) {
            return image_of(*pixels).thumbnail_image(kAnalysisSide, options);
        }
    }
    return VImage::thumbnail_buffer(blob.get(), kAnalysisSide, options);
}

}  // namespace

VImage decode_for_measure(std::string_view bytes,
                          const ImageInfo& info,
                          const MeasureSpec& spec,
                          const DeadlineGuard& guard,
                          bool& transparent) {
    BorrowedBlob blob(bytes);
    // Embedded RGB profiles are not applied: building a colour transform costs more than every
    // measure together, and moves whites and greys far less than ΔE 1. CMYK is converted (by
    // libvips, with its own profile when there is none).
    auto options = VImage::option()
                       ->set("height", kAnalysisSide)
                       ->set("size", VIPS_SIZE_DOWN)
                       ->set("fail_on", VIPS_FAIL_ON_ERROR);
    if (info.is_cmyk) {
        options->set("export_profile", "srgb");
    }
    VImage image = to_srgb8(decoded_for_analysis(blob, info, options));
    guard.watch(image);
    image = image.copy_memory();
    transparent = false;
    if (image.has_alpha()) {
        transparent = image.extract_band(image.bands() - 1).min() < 255.0;
        const config::Rgb under = spec.background.value_or(config::Rgb{255, 255, 255});
        image = image
                    .flatten(VImage::option()->set(
                        "background", std::vector<double>{static_cast<double>(under.r),
                                                          static_cast<double>(under.g),
                                                          static_cast<double>(under.b)}))
                    .cast(VIPS_FORMAT_UCHAR)
                    .copy_memory();
    }
    return image;
}

void measure_pixels(const VImage& image, const MeasureSpec& spec, BrandMeasurements& m) {
    m.analysed_width = image.width();
    m.analysed_height = image.height();

    // Colour, border and framing on a half-size copy (a quarter of the pixels: shares and
    // boxes do not need more); sharpness on the full analysis size.
    const VImage small = image.width() > kColourSide || image.height() > kColourSide
                             ? image
                                   .resize(static_cast<double>(kColourSide) /
                                           std::max(image.width(), image.height()))
                                   .copy_memory()
                             : image;
    const VImage lab = small.colourspace(VIPS_INTERPRETATION_LAB).copy_memory();
    VImage mask = small.new_from_image(std::vector<double>{255.0});
    if (spec.background) {
        const VImage reference = lab.new_from_image(lab_of(*spec.background));
        mask = (lab.dE76(reference) > spec.delta_e).median(3).copy_memory();
    }
    const int ring = std::max(
        1, static_cast<int>(std::lround(kBorderShare * std::min(small.width(), small.height()))));
    const RingSums sums = ring_sums(small.bandjoin(mask), ring);
    m.border_colour =
        config::Rgb{static_cast<std::uint8_t>(std::lround(sums.ring[0] / sums.pixels)),
                    static_cast<std::uint8_t>(std::lround(sums.ring[1] / sums.pixels)),
                    static_cast<std::uint8_t>(std::lround(sums.ring[2] / sums.pixels))};
    m.border_match = spec.background ? 1.0 - sums.ring[3] / 255.0 / sums.pixels : 0.0;
    measure_product(m, mask);

    // Lightness and blown-out highlights over the product's own pixels (the whole image
    // when nothing stands out from the background), from one pass: the means of
    // L*·w, clipped·w and w, where w marks product pixels.
    const VImage weight = m.product_found ? mask / 255.0 : mask.new_from_image(1.0);
    const VImage clipped = (small >= kClippedLevel).bandand() / 255.0;
    const Stats means((lab.extract_band(0) * weight).bandjoin(clipped * weight).bandjoin(weight));
    const double product_share = std::max(means.mean(2), 1e-9);
    m.lightness = means.mean(0) / product_share;
    m.clipped = means.mean(1) / product_share;
    m.sharpness = sharpness_of(image, m);
}

Expected<BrandMeasurements> measure_brand(std::string_view bytes,
                                          const ImageInfo& info,
                                          const MeasureSpec& spec,
                                          const Deadline& deadline) {
    BrandMeasurements m;
    m.format = std::string(format_name(info.format));
    m.bytes = bytes.size();
    const bool swapped = info.orientation >= 5 && info.orientation <= 8;
    m.width = swapped ? info.height : info.width;
    m.height = swapped ? info.width : info.height;
    m.colour_space = colour_space_of(info);
    m.is_srgb =
        !info.is_cmyk && !info.is_grey && (!info.has_icc || describes_srgb(info.icc_description));
    m.against_background = spec.background.has_value();

    const DeadlineGuard guard(deadline);
    auto timed_out = [] { return fail(ErrorCode::Timeout, "the image took too long to process"); };
    if (guard.expired()) {
        return timed_out();
    }
    try {
        const VImage image = decode_for_measure(bytes, info, spec, guard, m.transparent);
        // The decode is watched by the guard; the measures after it are short, so the deadline
        // is checked once between the two.
        if (guard.expired()) {
            return timed_out();
        }
        measure_pixels(image, spec, m);
    } catch (const vips::VError& error) {
        return vips_failure(guard, ErrorCode::CorruptImage, "the image could not be decoded",
                            error);
    }
    return m;
}

}  // namespace imgline::pipeline
