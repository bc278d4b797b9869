#include "pipeline/sharpen.h"

#include <algorithm>
#include <cstddef>

namespace imgline::pipeline {
namespace {

// acc = 32·centre − the eight neighbours lies in [−8·255, 32·255]; the bias makes it
// non-negative so that the division by 24 (with rounding) stays in unsigned arithmetic, which
// the compiler turns into a multiply and a shift and vectorises.
constexpr int kCentreWeight = 32;
constexpr int kScale = 24;
constexpr int kBiasSteps = 85;  // 85 · 24 = 2040 = 8 · 255
constexpr int kBias = kBiasSteps * kScale + kScale / 2;

std::uint8_t clamp_sample(int acc) {
    const int value = static_cast<int>(static_cast<unsigned>(acc + kBias) / kScale) - kBiasSteps;
    return static_cast<std::uint8_t>(std::clamp(value, 0, 255));
}

// One row: `up`, `row`, `down` are the rows above, at and below (the same row at the image's
// top and bottom edges). `left`/`right` clamp at the row's ends.
void sharpen_row(const std::uint8_t* up,
                 const std::uint8_t* row,
                 const std::uint8_t* down,
                 std::uint8_t* out,
                 int width,
                 int bands) {
    const std::ptrdiff_t stride = bands;
    const std::ptrdiff_t last = static_cast<std::ptrdiff_t>(width - 1) * stride;
    auto at_edge = [&](std::ptrdiff_t i, std::ptrdiff_t left, std::ptrdiff_t right) {
        const int neighbours = up[left] + up[i] + up[right] + row[left] + row[right] + down[left] +
                               down[i] + down[right];
        out[i] = clamp_sample(kCentreWeight * row[i] - neighbours);
    };
    for (std::ptrdiff_t band = 0; band < stride; ++band) {
        at_edge(band, band, width > 1 ? band + stride : band);
        if (width > 1) {
            at_edge(last + band, last + band - stride, last + band);
        }
    }
    // The interior, band-interleaved: sample i's horizontal neighbours are i ± bands.
    for (std::ptrdiff_t i = stride; i < last; ++i) {
        const int neighbours = up[i - stride] + up[i] + up[i + stride] + row[i - stride] +
                               row[i + stride] + down[i - stride] + down[i] + down[i + stride];
        out[i] = clamp_sample(kCentreWeight * row[i] - neighbours);
    }
}

}  // namespace

void sharpen_3x3(std::span<const std::uint8_t> in,
                 std::span<std::uint8_t> out,
                 int width,
                 int height,
                 int bands,
                 int colour_bands) {
    const auto row_size = static_cast<std::size_t>(width) * static_cast<std::size_t>(bands);
    if (width <= 0 || height <= 0 || bands <= 0 || in.size() < row_size * height ||
        out.size() < row_size * height) {
        return;
    }
    for (int y = 0; y < height; ++y) {
        const std::uint8_t* row = in.data() + row_size * y;
        const std::uint8_t* up = y > 0 ? row - row_size : row;
        const std::uint8_t* down = y + 1 < height ? row + row_size : row;
        std::uint8_t* target = out.data() + row_size * y;
        sharpen_row(up, row, down, target, width, bands);
        // Bands past the colour ones (alpha) keep their values.
        for (int band = colour_bands; band < bands; ++band) {
            for (int x = 0; x < width; ++x) {
                const std::size_t i = static_cast<std::size_t>(x) * bands + band;
                target[i] = row[i];
            }
        }
    }
}

}  // namespace imgline::pipeline
