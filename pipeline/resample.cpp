#include "pipeline/resample.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <emmintrin.h>
#include <numbers>
#include <stdexcept>
#include <vector>

namespace imgline::pipeline {
namespace {

// Weights are fixed point with this many fraction bits (a weight of 1 is 16384).
constexpr int kWeightBits = 14;
constexpr int kWeightOne = 1 << kWeightBits;

double lanczos3(double x) {
    x = std::abs(x);
    if (x < 1e-9) {
        return 1.0;
    }
    if (x >= 3.0) {
        return 0.0;
    }
    const double px = std::numbers::pi * x;
    return 3.0 * std::sin(px) * std::sin(px / 3.0) / (px * px);
}

// The source lines and weights of every output line of a one-dimensional reduction from
// `in_size` to `out_size` lines: output line o is centred on source position
// (o + 0.5) × in/out − 0.5, and the kernel is stretched by in/out so that it averages
// every source line it covers. Every output line has `taps` entries (an even count, the
// unused ones weigh 0); lines beyond the edges repeat the edge.
struct Taps {
    int taps = 0;
    std::vector<int> lines;             // out_size × taps source line numbers
    std::vector<std::int16_t> weights;  // out_size × taps weights summing to kWeightOne
};

Taps taps_for(int in_size, int out_size) {
    const double scale = static_cast<double>(in_size) / out_size;
    const double support = 3.0 * std::max(scale, 1.0);
    Taps result;
    // Lines strictly inside ±support of the centre: at most 2·support + 1, rounded up to even.
    result.taps = static_cast<int>(std::floor(2.0 * support)) + 1;
    result.taps += result.taps % 2;
    result.lines.assign(static_cast<std::size_t>(out_size) * result.taps, 0);
    result.weights.assign(static_cast<std::size_t>(out_size) * result.taps, 0);
    std::vector<double> kernel(static_cast<std::size_t>(result.taps));
    for (int o = 0; o < out_size; ++o) {
        const double centre = (o + 0.5) * scale - 0.5;
        const int first = static_cast<int>(std::ceil(centre - support));
        const int last =
            std::min(static_cast<int>(std::floor(centre + support)), first + result.taps - 1);
        double sum = 0;
        for (int line = first; line <= last; ++line) {
            const double weight = lanczos3((line - centre) / std::max(scale, 1.0));
            kernel[static_cast<std::size_t>(line - first)] = weight;
            sum += weight;
        }
        int fixed_sum = 0;
        int heaviest = 0;
        const auto row = static_cast<std::size_t>(o) * result.taps;
        for (int line = first; line <= last; ++line) {
            const auto tap = static_cast<std::size_t>(line - first);
            const auto fixed = static_cast<int>(std::lround(kernel[tap] / sum * kWeightOne));
            result.weights[row + tap] = static_cast<std::int16_t>(fixed);
            result.lines[row + tap] = std::clamp(line, 0, in_size - 1);
            fixed_sum += fixed;
            if (fixed > result.weights[row + static_cast<std::size_t>(heaviest)]) {
                heaviest = static_cast<int>(tap);
            }
        }
        // Rounding must not shift the brightness: the heaviest tap takes the remainder.
        result.weights[row + static_cast<std::size_t>(heaviest)] = static_cast<std::int16_t>(
            result.weights[row + static_cast<std::size_t>(heaviest)] + kWeightOne - fixed_sum);
        for (int tap = last - first + 1; tap < result.taps; ++tap) {
            result.lines[row + static_cast<std::size_t>(tap)] = std::clamp(first, 0, in_size - 1);
        }
    }
    return result;
}

std::uint8_t clamp_to_byte(int value) {
    return static_cast<std::uint8_t>(std::clamp(value, 0, 255));
}

// Reduces `in` (`row_bytes` × `height`) vertically to `out_height` rows of the same bytes.
std::vector<std::uint8_t> reduced_vertically(const std::uint8_t* in,
                                             std::size_t row_bytes,
                                             int height,
                                             int out_height) {
    const Taps taps = taps_for(height, out_height);
    std::vector<std::uint8_t> out(row_bytes * static_cast<std::size_t>(out_height));
    const __m128i zero = _mm_setzero_si128();
    const __m128i rounding = _mm_set1_epi32(kWeightOne / 2);
    std::vector<const std::uint8_t*> rows(static_cast<std::size_t>(taps.taps));
    for (int o = 0; o < out_height; ++o) {
        const std::size_t at = static_cast<std::size_t>(o) * taps.taps;
        for (int tap = 0; tap < taps.taps; ++tap) {
            rows[static_cast<std::size_t>(tap)] =
                in + static_cast<std::size_t>(taps.lines[at + static_cast<std::size_t>(tap)]) *
                         row_bytes;
        }
        const std::int16_t* weights = &taps.weights[at];
        std::uint8_t* target = out.data() + static_cast<std::size_t>(o) * row_bytes;
        std::size_t i = 0;
        // 16 samples at a time, two rows per multiply-add: (a, b) × (weight a, weight b).
        for (; i + 16 <= row_bytes; i += 16) {
            __m128i sum0 = rounding;
            __m128i sum1 = rounding;
            __m128i sum2 = rounding;
            __m128i sum3 = rounding;
            for (int tap = 0; tap < taps.taps; tap += 2) {
                const auto pair =
                    static_cast<std::uint32_t>(static_cast<std::uint16_t>(weights[tap])) |
                    (static_cast<std::uint32_t>(static_cast<std::uint16_t>(weights[tap + 1]))
                     << 16);
                const __m128i weight = _mm_set1_epi32(static_cast<int>(pair));
                const __m128i a = _mm_loadu_si128(
                    reinterpret_cast<const __m128i*>(rows[static_cast<std::size_t>(tap)] + i));
                const __m128i b = _mm_loadu_si128(
                    reinterpret_cast<const __m128i*>(rows[static_cast<std::size_t>(tap) + 1] + i));
                const __m128i a_low = _mm_unpacklo_epi8(a, zero);
                const __m128i a_high = _mm_unpackhi_epi8(a, zero);
                const __m128i b_low = _mm_unpacklo_epi8(b, zero);
                const __m128i b_high = _mm_unpackhi_epi8(b, zero);
                sum0 =
                    _mm_add_epi32(sum0, _mm_madd_epi16(_mm_unpacklo_epi16(a_low, b_low), weight));
                sum1 =
                    _mm_add_epi32(sum1, _mm_madd_epi16(_mm_unpackhi_epi16(a_low, b_low), weight));
                sum2 =
                    _mm_add_epi32(sum2, _mm_madd_epi16(_mm_unpacklo_epi16(a_high, b_high), weight));
                sum3 =
                    _mm_add_epi32(sum3, _mm_madd_epi16(_mm_unpackhi_epi16(a_high, b_high), weight));
            }
            const __m128i low = _mm_packs_epi32(_mm_srai_epi32(sum0, kWeightBits),
                                                _mm_srai_epi32(sum1, kWeightBits));
            const __m128i high = _mm_packs_epi32(_mm_srai_epi32(sum2, kWeightBits),
                                                 _mm_srai_epi32(sum3, kWeightBits));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(target + i), _mm_packus_epi16(low, high));
        }
        for (; i < row_bytes; ++i) {
            int sum = kWeightOne / 2;
            for (int tap = 0; tap < taps.taps; ++tap) {
                sum += weights[tap] * rows[static_cast<std::size_t>(tap)][i];
            }
            target[i] = clamp_to_byte(sum >> kWeightBits);
        }
    }
    return out;
}

// Where output pixel (x, y) comes from: source column a·x + b·y + c, row d·x + e·y + f.
struct Mapping {
    int ax, bx, cx;
    int ay, by, cy;
};

// Copies `in` (`width` pixels a row, `in_bytes` in all) to an `out_width` × `out_height` image
// through `map`, in tiles so that both sides stay in cache when the map transposes.
template <int Bands>
void copy_mapped(const std::uint8_t* in,
                 std::size_t in_bytes,
                 int width,
                 int bands,
                 std::uint8_t* out,
                 int out_width,
                 int out_height,
                 const Mapping& map) {
    constexpr int kTile = 32;
    const std::uint8_t* in_end = in + in_bytes;
    const int band_count = Bands > 0 ? Bands : bands;
    const std::ptrdiff_t step_x =
        (static_cast<std::ptrdiff_t>(map.ay) * width + map.ax) * band_count;
    for (int top = 0; top < out_height; top += kTile) {
        for (int left = 0; left < out_width; left += kTile) {
            const int bottom = std::min(top + kTile, out_height);
            const int right = std::min(left + kTile, out_width);
            for (int y = top; y < bottom; ++y) {
                const int sx = map.ax * left + map.bx * y + map.cx;
                const int sy = map.ay * left + map.by * y + map.cy;
                const std::uint8_t* from =
                    in + (static_cast<std::ptrdiff_t>(sy) * width + sx) * band_count;
                std::uint8_t* to =
                    out + (static_cast<std::ptrdiff_t>(y) * out_width + left) * band_count;
                int x = left;
                if constexpr (Bands == 3) {
                    // A pixel as one 4-byte move: the fourth byte lands on the next pixel, which
                    // the next step writes; so not for a tile row's last pixel, nor a read past
                    // the end of `in`.
                    for (; x + 1 < right && from + 4 <= in_end;
                         ++x, from += step_x, to += band_count) {
                        std::uint32_t pixel = 0;
                        std::memcpy(&pixel, from, 4);
                        std::memcpy(to, &pixel, 4);
                    }
                }
                for (; x < right; ++x, from += step_x, to += band_count) {
                    for (int band = 0; band < band_count; ++band) {
                        to[band] = from[band];
                    }
                }
            }
        }
    }
}

void copy_mapped(const std::uint8_t* in,
                 std::size_t in_bytes,
                 int width,
                 int bands,
                 std::uint8_t* out,
                 int out_width,
                 int out_height,
                 const Mapping& map) {
    if (bands == 3) {
        copy_mapped<3>(in, in_bytes, width, bands, out, out_width, out_height, map);
    } else if (bands == 1) {
        copy_mapped<1>(in, in_bytes, width, bands, out, out_width, out_height, map);
    } else {
        copy_mapped<0>(in, in_bytes, width, bands, out, out_width, out_height, map);
    }
}

// The upright image's pixel (x, y) is the stored image's (rx, ry); as a mapping on the
// transpose of the stored image (`stored_width` × `stored_height` before the transpose), whose
// column is ry and row rx.
Mapping upright_from_transposed(int orientation, int stored_width, int stored_height) {
    const int w = stored_width - 1;
    const int h = stored_height - 1;
    // {rx = ax·x + bx·y + cx, ry = ay·x + by·y + cy}, then swapped for the transpose.
    Mapping stored{};
    switch (orientation) {
        case 2:
            stored = {-1, 0, w, 0, 1, 0};
            break;  // mirrored
        case 3:
            stored = {-1, 0, w, 0, -1, h};
            break;  // upside down
        case 4:
            stored = {1, 0, 0, 0, -1, h};
            break;  // mirrored upside down
        case 5:
            stored = {0, 1, 0, 1, 0, 0};
            break;  // transposed
        case 6:
            stored = {0, 1, 0, -1, 0, h};
            break;  // shown after a quarter turn clockwise
        case 7:
            stored = {0, -1, w, -1, 0, h};
            break;  // transversed
        case 8:
            stored = {0, -1, w, 1, 0, 0};
            break;  // shown after a quarter turn anticlockwise
        default:
            stored = {1, 0, 0, 0, 1, 0};
            break;
    }
    return {stored.ay, stored.by, stored.cy, stored.ax, stored.bx, stored.cx};
}

}  // namespace

DecodedPixels resized_upright(std::span<const std::uint8_t> in,
                              int width,
                              int height,
                              int bands,
                              int out_width,
                              int out_height,
                              int orientation,
                              std::optional<Region> keep) {
    const bool swaps = orientation >= 5 && orientation <= 8;
    // The resized image as stored (before it is turned upright).
    const int stored_width = swaps ? out_height : out_width;
    const int stored_height = swaps ? out_width : out_height;
    const Region kept = keep.value_or(Region{0, 0, out_width, out_height});
    if (bands < 1 || width < 1 || height < 1 || stored_width < 1 || stored_height < 1 ||
        stored_width > width || stored_height > height ||
        in.size() != static_cast<std::size_t>(width) * height * bands || kept.left < 0 ||
        kept.top < 0 || kept.width < 1 || kept.height < 1 || kept.left + kept.width > out_width ||
        kept.top + kept.height > out_height) {
        throw std::invalid_argument("resized_upright: sizes do not match");
    }
    const auto pixel_bytes = static_cast<std::size_t>(bands);
    // Rows first: width × stored_height.
    std::vector<std::uint8_t> reduced_rows;
    const std::uint8_t* rows = in.data();
    if (stored_height != height) {
        reduced_rows = reduced_vertically(in.data(), width * pixel_bytes, height, stored_height);
        rows = reduced_rows.data();
    }
    // Turned on its side (stored_height × width), the columns are rows.
    std::vector<std::uint8_t> turned(static_cast<std::size_t>(width) * stored_height * pixel_bytes);
    copy_mapped(rows, turned.size(), width, bands, turned.data(), stored_height, width,
                Mapping{0, 1, 0, 1, 0, 0});
    // Columns: stored_height × stored_width, the transpose of the resized image.
    const std::vector<std::uint8_t> columns =
        stored_width == width
            ? std::move(turned)
            : reduced_vertically(turned.data(), stored_height * pixel_bytes, width, stored_width);
    DecodedPixels result;
    result.width = kept.width;
    result.height = kept.height;
    result.bands = bands;
    result.samples.resize(static_cast<std::size_t>(kept.width) * kept.height * pixel_bytes);
    Mapping map = upright_from_transposed(orientation, stored_width, stored_height);
    // The kept part starts at (left, top) of the upright image.
    map.cx += map.ax * kept.left + map.bx * kept.top;
    map.cy += map.ay * kept.left + map.by * kept.top;
    copy_mapped(columns.data(), columns.size(), stored_height, bands, result.samples.data(),
                kept.width, kept.height, map);
    return result;
}

}  // namespace imgline::pipeline
