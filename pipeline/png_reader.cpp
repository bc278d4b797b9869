#include "pipeline/png_reader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <libdeflate.h>
#include <memory>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace imgline::pipeline {
namespace {

constexpr std::array<std::uint8_t, 8> kSignature{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
// A profile larger than this is not a real one; libvips would not read it either.
constexpr std::size_t kMaxProfileBytes = 16 * 1024 * 1024;
constexpr int kMaxShrink = 256;  // keeps alpha-weighted sums within 32 bits

std::uint32_t big_endian(const std::uint8_t* p) {
    return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
           (static_cast<std::uint32_t>(p[2]) << 8) | static_cast<std::uint32_t>(p[3]);
}

struct Decompressor {
    Decompressor() : handle(libdeflate_alloc_decompressor()) {}

    ~Decompressor() {
        if (handle != nullptr) {
            libdeflate_free_decompressor(handle);
        }
    }

    Decompressor(const Decompressor&) = delete;
    Decompressor& operator=(const Decompressor&) = delete;
    libdeflate_decompressor* handle;
};

struct Header {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    int bands = 0;
};

// What the chunks say: the header, the concatenated IDAT stream, the compressed profile.
struct Chunks {
    Header header;
    std::string image_data;
    std::string_view profile;  // zlib stream of the iCCP chunk
};

std::optional<Header> parse_header(const std::uint8_t* data, std::uint32_t length) {
    if (length != 13) {
        return std::nullopt;
    }
    Header header{big_endian(data), big_endian(data + 4), 0};
    const int depth = data[8];
    const int colour_type = data[9];
    const int compression = data[10];
    const int filter = data[11];
    const int interlace = data[12];
    if (header.width == 0 || header.height == 0 || header.width > 0x7fffffffU ||
        header.height > 0x7fffffffU || depth != 8 || compression != 0 || filter != 0 ||
        interlace != 0) {
        return std::nullopt;
    }
    switch (colour_type) {
        case 0:
            header.bands = 1;
            break;
        case 4:
            header.bands = 2;
            break;
        case 2:
            header.bands = 3;
            break;
        case 6:
            header.bands = 4;
            break;
        default:
            return std::nullopt;  // palettes go to libvips
    }
    return header;
}

// One function: a single walk over the chunks, each check next to the chunk it reads.
std::optional<Chunks> read_chunks(std::string_view bytes) {
    if (bytes.size() < kSignature.size() ||
        std::memcmp(bytes.data(), kSignature.data(), kSignature.size()) != 0) {
        return std::nullopt;
    }
    const auto* at = reinterpret_cast<const std::uint8_t*>(bytes.data()) + kSignature.size();
    const auto* end = reinterpret_cast<const std::uint8_t*>(bytes.data()) + bytes.size();
    Chunks chunks;
    bool seen_header = false;
    bool seen_end = false;
    bool data_done = false;
    while (!seen_end) {
        if (end - at < 12) {
            return std::nullopt;  // truncated
        }
        const std::uint32_t length = big_endian(at);
        if (length > static_cast<std::size_t>(end - at) - 12) {
            return std::nullopt;
        }
        const std::string_view type(reinterpret_cast<const char*>(at + 4), 4);
        const std::uint8_t* data = at + 8;
        const std::uint32_t stored_crc = big_endian(data + length);
        if (libdeflate_crc32(0, at + 4, length + 4) != stored_crc) {
            return std::nullopt;
        }
        if (!seen_header && type != "IHDR") {
            return std::nullopt;
        }
        if (type == "IHDR") {
            auto header = seen_header ? std::nullopt : parse_header(data, length);
            if (!header) {
                return std::nullopt;
            }
            chunks.header = *header;
            seen_header = true;
        } else if (type == "IDAT") {
            if (data_done) {
                return std::nullopt;  // IDAT chunks must be consecutive
            }
            chunks.image_data.append(reinterpret_cast<const char*>(data), length);
        } else if (type == "IEND") {
            seen_end = true;
        } else if (type == "tRNS" || type == "PLTE") {
            return std::nullopt;  // palettes and transparency keys: libvips' job
        } else if (type == "iCCP") {
            // name (1-79 bytes), NUL, method 0, then the zlib stream.
            const auto* name_end = static_cast<const std::uint8_t*>(std::memchr(data, 0, length));
            if (name_end == nullptr || name_end + 2 > data + length || name_end[1] != 0) {
                return std::nullopt;
            }
            chunks.profile =
                std::string_view(reinterpret_cast<const char*>(name_end + 2),
                                 static_cast<std::size_t>(data + length - name_end - 2));
        } else if ((type[0] & 0x20) == 0) {
            return std::nullopt;  // an unknown critical chunk
        }
        if (type != "IDAT" && !chunks.image_data.empty()) {
            data_done = true;
        }
        at = data + length + 4;
    }
    if (chunks.image_data.empty()) {
        return std::nullopt;
    }
    return chunks;
}

std::optional<std::string> inflate_profile(std::string_view compressed) {
    Decompressor inflater;
    if (inflater.handle == nullptr) {
        return std::nullopt;
    }
    for (std::size_t room = 64 * 1024; room <= kMaxProfileBytes; room *= 4) {
        std::string profile(room, '\0');
        std::size_t produced = 0;
        const auto result = libdeflate_zlib_decompress(
            inflater.handle, compressed.data(), compressed.size(), profile.data(), room, &produced);
        if (result == LIBDEFLATE_SUCCESS) {
            profile.resize(produced);
            return profile;
        }
        if (result != LIBDEFLATE_INSUFFICIENT_SPACE) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

// The Paeth filter for `Bpp` bytes per pixel, with the left and upper-left pixels kept in
// registers and the predictor chosen without branches (|p-a| = |b-c|, |p-b| = |a-c|,
// |p-c| = |a+b-2c| for p = a+b-c).
template <int Bpp>
void undo_paeth(std::uint8_t* row, const std::uint8_t* prior, std::size_t length) {
    std::array<int, Bpp> left{};
    std::array<int, Bpp> up_left{};
    for (std::size_t i = 0; i + Bpp <= length; i += Bpp) {
        for (int k = 0; k < Bpp; ++k) {
            const int a = left[k];
            const int b = prior[i + k];
            const int c = up_left[k];
            const int to_a = std::abs(b - c);
            const int to_b = std::abs(a - c);
            const int to_c = std::abs(a + b - 2 * c);
            const int predicted = (to_a <= to_b && to_a <= to_c) ? a : (to_b <= to_c ? b : c);
            left[k] = (row[i + k] + predicted) & 0xff;
            row[i + k] = static_cast<std::uint8_t>(left[k]);
            up_left[k] = b;
        }
    }
}

#if defined(__SSE2__)
// Paeth for 3 or 4 bytes per pixel with the channels side by side in 16-bit lanes: the
// per-pixel dependency chain is then one pass of a dozen vector operations instead of four.
template <int Bpp>
void undo_paeth_sse2(std::uint8_t* row, const std::uint8_t* prior, std::size_t length) {
    const __m128i zero = _mm_setzero_si128();
    const auto load = [&](const std::uint8_t* p) {
        std::int32_t word = 0;
        std::memcpy(&word, p, Bpp);
        return _mm_unpacklo_epi8(_mm_cvtsi32_si128(word), zero);
    };
    const auto absolute = [&](__m128i v) { return _mm_max_epi16(v, _mm_sub_epi16(zero, v)); };
    const auto choose = [](__m128i mask, __m128i yes, __m128i no) {
        return _mm_or_si128(_mm_and_si128(mask, yes), _mm_andnot_si128(mask, no));
    };
    __m128i left = zero;
    __m128i up_left = zero;
    for (std::size_t i = 0; i + Bpp <= length; i += Bpp) {
        const __m128i up = load(prior + i);
        const __m128i to_left = _mm_sub_epi16(up, up_left);  // |p - a| before abs
        const __m128i to_up = _mm_sub_epi16(left, up_left);  // |p - b|
        const __m128i distance_left = absolute(to_left);
        const __m128i distance_up = absolute(to_up);
        const __m128i distance_up_left = absolute(_mm_add_epi16(to_left, to_up));
        const __m128i smallest =
            _mm_min_epi16(distance_up_left, _mm_min_epi16(distance_left, distance_up));
        const __m128i predicted =
            choose(_mm_cmpeq_epi16(distance_left, smallest), left,
                   choose(_mm_cmpeq_epi16(distance_up, smallest), up, up_left));
        left = _mm_and_si128(_mm_add_epi16(load(row + i), predicted), _mm_set1_epi16(0xff));
        const std::int32_t word = _mm_cvtsi128_si32(_mm_packus_epi16(left, left));
        std::memcpy(row + i, &word, Bpp);
        up_left = up;
    }
}
#endif

template <int Bpp>
void undo_average(std::uint8_t* row, const std::uint8_t* prior, std::size_t length) {
    std::array<int, Bpp> left{};
    for (std::size_t i = 0; i + Bpp <= length; i += Bpp) {
        for (int k = 0; k < Bpp; ++k) {
            left[k] = (row[i + k] + ((left[k] + prior[i + k]) >> 1)) & 0xff;
            row[i + k] = static_cast<std::uint8_t>(left[k]);
        }
    }
}

template <int Bpp>
bool unfilter_as(int type, std::uint8_t* row, const std::uint8_t* prior, std::size_t length) {
    switch (type) {
        case 0:
            return true;
        case 1:
            for (std::size_t i = Bpp; i < length; ++i) {
                row[i] = static_cast<std::uint8_t>(row[i] + row[i - Bpp]);
            }
            return true;
        case 2:
            for (std::size_t i = 0; i < length; ++i) {
                row[i] = static_cast<std::uint8_t>(row[i] + prior[i]);
            }
            return true;
        case 3:
            undo_average<Bpp>(row, prior, length);
            return true;
        case 4:
#if defined(__SSE2__)
            if constexpr (Bpp >= 3) {
                undo_paeth_sse2<Bpp>(row, prior, length);
                return true;
            }
#endif
            undo_paeth<Bpp>(row, prior, length);
            return true;
        default:
            return false;
    }
}

// Undoes one row's filter in place; `prior` is the previous row, already unfiltered (zeros
// for the first). False for an unknown filter type.
bool unfilter(int type, std::uint8_t* row, const std::uint8_t* prior, std::size_t length, int bpp) {
    switch (bpp) {
        case 1:
            return unfilter_as<1>(type, row, prior, length);
        case 2:
            return unfilter_as<2>(type, row, prior, length);
        case 3:
            return unfilter_as<3>(type, row, prior, length);
        default:
            return unfilter_as<4>(type, row, prior, length);
    }
}

// One row's sums over each output pixel's `shrink` columns, added to `sums`: colour weighted by
// alpha when the image has it (the last band), plain otherwise.
template <int Bands, bool Alpha>
void add_row_sums(
    const std::uint8_t* row, std::uint32_t* sums, int width, int shrink, int out_width) {
    constexpr int kColours = Alpha ? Bands - 1 : Bands;
    for (int ox = 0; ox < out_width; ++ox) {
        std::array<std::uint32_t, Bands> sum{};
        const int x_end = std::min(width, (ox + 1) * shrink);
        for (int x = ox * shrink; x < x_end; ++x) {
            const std::uint8_t* pixel = row + static_cast<std::size_t>(x) * Bands;
            if constexpr (Alpha) {
                const std::uint32_t a = pixel[kColours];
                for (int c = 0; c < kColours; ++c) {
                    sum[c] += pixel[c] * a;
                }
                sum[kColours] += a;
            } else {
                for (int c = 0; c < kColours; ++c) {
                    sum[c] += pixel[c];
                }
            }
        }
        for (int c = 0; c < Bands; ++c) {
            sums[static_cast<std::size_t>(ox) * Bands + c] += sum[c];
        }
    }
}

#if defined(__SSE2__)
// RGBA: two pixels at a time in 16-bit lanes (a colour times its alpha fits in 16 bits).
template <>
void add_row_sums<4, true>(
    const std::uint8_t* row, std::uint32_t* sums, int width, int shrink, int out_width) {
    const __m128i zero = _mm_setzero_si128();
    const __m128i alpha_lanes = _mm_set_epi16(-1, 0, 0, 0, -1, 0, 0, 0);
    const auto weighted = [&](__m128i pixels) {  // 8 lanes: r g b a r g b a
        const __m128i alpha = _mm_shufflehi_epi16(_mm_shufflelo_epi16(pixels, 0xff), 0xff);
        const __m128i product = _mm_mullo_epi16(pixels, alpha);
        return _mm_or_si128(_mm_andnot_si128(alpha_lanes, product),
                            _mm_and_si128(alpha_lanes, pixels));
    };
    for (int ox = 0; ox < out_width; ++ox) {
        __m128i sum = zero;
        const int x_end = std::min(width, (ox + 1) * shrink);
        int x = ox * shrink;
        for (; x + 2 <= x_end; x += 2) {
            const __m128i two = _mm_unpacklo_epi8(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(
                                                      row + static_cast<std::size_t>(x) * 4)),
                                                  zero);
            const __m128i product = weighted(two);
            sum = _mm_add_epi32(sum, _mm_unpacklo_epi16(product, zero));
            sum = _mm_add_epi32(sum, _mm_unpackhi_epi16(product, zero));
        }
        if (x < x_end) {
            std::int32_t word = 0;
            std::memcpy(&word, row + static_cast<std::size_t>(x) * 4, 4);
            const __m128i one = _mm_unpacklo_epi8(_mm_cvtsi32_si128(word), zero);
            sum = _mm_add_epi32(sum, _mm_unpacklo_epi16(weighted(one), zero));
        }
        auto* target = reinterpret_cast<__m128i*>(sums + static_cast<std::size_t>(ox) * 4);
        _mm_storeu_si128(target, _mm_add_epi32(_mm_loadu_si128(target), sum));
    }
}
#endif

// Sums `shrink`×`shrink` blocks of rows into output rows, then divides: colour by the block's
// alpha when the image has it, everything else by the block's pixel count.
class BoxShrinker {
public:
    BoxShrinker(DecodedPixels& out, int source_width, int source_height, int shrink)
        : out_(out),
          source_width_(source_width),
          source_height_(source_height),
          shrink_(shrink),
          sums_(static_cast<std::size_t>(out.width) * out.bands, 0) {}

    void add_row(const std::uint8_t* row, int y) {
        std::uint32_t* sums = sums_.data();
        switch (out_.bands) {
            case 1:
                add_row_sums<1, false>(row, sums, source_width_, shrink_, out_.width);
                break;
            case 2:
                add_row_sums<2, true>(row, sums, source_width_, shrink_, out_.width);
                break;
            case 3:
                add_row_sums<3, false>(row, sums, source_width_, shrink_, out_.width);
                break;
            default:
                add_row_sums<4, true>(row, sums, source_width_, shrink_, out_.width);
                break;
        }
        if ((y + 1) % shrink_ == 0 || y + 1 == source_height_) {
            emit(y / shrink_, y + 1 - (y / shrink_) * shrink_);
        }
    }

private:
    void emit(int out_y, int rows) {
        const int bands = out_.bands;
        const bool alpha = bands == 2 || bands == 4;
        const int colours = alpha ? bands - 1 : bands;
        std::uint8_t* target =
            out_.samples.data() + static_cast<std::size_t>(out_y) * out_.width * bands;
        for (int ox = 0; ox < out_.width; ++ox) {
            std::uint32_t* sum = sums_.data() + static_cast<std::size_t>(ox) * bands;
            std::uint8_t* pixel = target + static_cast<std::size_t>(ox) * bands;
            const int columns = std::min(source_width_, (ox + 1) * shrink_) - ox * shrink_;
            const auto count = static_cast<std::uint32_t>(columns * rows);
            if (alpha) {
                const std::uint32_t weight = sum[colours];
                for (int c = 0; c < colours; ++c) {
                    pixel[c] =
                        weight == 0
                            ? 0
                            : static_cast<std::uint8_t>(
                                  (static_cast<std::uint64_t>(sum[c]) + weight / 2) / weight);
                }
                pixel[colours] = static_cast<std::uint8_t>((weight + count / 2) / count);
            } else {
                for (int c = 0; c < colours; ++c) {
                    pixel[c] = static_cast<std::uint8_t>((sum[c] + count / 2) / count);
                }
            }
            std::fill(sum, sum + bands, 0U);
        }
    }

    DecodedPixels& out_;
    int source_width_;
    int source_height_;
    int shrink_;
    std::vector<std::uint32_t> sums_;
};

}  // namespace

std::optional<DecodedPixels> read_png(std::string_view bytes,
                                      int shrink,
                                      std::size_t max_inflated) {
    if (shrink < 1 || shrink > kMaxShrink) {
        return std::nullopt;
    }
    auto chunks = read_chunks(bytes);
    if (!chunks) {
        return std::nullopt;
    }
    const Header& header = chunks->header;
    const std::size_t row_bytes = static_cast<std::size_t>(header.width) * header.bands;
    const std::size_t stride = row_bytes + 1;  // the filter type first
    if (stride > max_inflated / header.height) {
        return std::nullopt;
    }
    const std::size_t inflated_size = stride * header.height;
    std::unique_ptr<std::uint8_t[]> inflated(new std::uint8_t[inflated_size]);
    Decompressor inflater;
    if (inflater.handle == nullptr) {
        return std::nullopt;
    }
    std::size_t produced = 0;
    if (libdeflate_zlib_decompress(inflater.handle, chunks->image_data.data(),
                                   chunks->image_data.size(), inflated.get(), inflated_size,
                                   &produced) != LIBDEFLATE_SUCCESS ||
        produced != inflated_size) {
        return std::nullopt;
    }
    DecodedPixels out;
    if (!chunks->profile.empty()) {
        auto profile = inflate_profile(chunks->profile);
        if (!profile) {
            return std::nullopt;
        }
        out.icc_profile = std::move(*profile);
    }
    const int width = static_cast<int>(header.width);
    const int height = static_cast<int>(header.height);
    out.width = (width + shrink - 1) / shrink;
    out.height = (height + shrink - 1) / shrink;
    out.bands = header.bands;
    out.samples.resize(static_cast<std::size_t>(out.width) * out.height * out.bands);
    const std::vector<std::uint8_t> zeros(row_bytes, 0);
    BoxShrinker shrinker(out, width, height, shrink);
    for (int y = 0; y < height; ++y) {
        std::uint8_t* line = inflated.get() + static_cast<std::size_t>(y) * stride;
        const std::uint8_t* prior = y == 0 ? zeros.data() : line - stride + 1;
        if (!unfilter(line[0], line + 1, prior, row_bytes, header.bands)) {
            return std::nullopt;
        }
        if (shrink == 1) {
            std::memcpy(out.samples.data() + static_cast<std::size_t>(y) * row_bytes, line + 1,
                        row_bytes);
        } else {
            shrinker.add_row(line + 1, y);
        }
    }
    return out;
}

}  // namespace imgline::pipeline
