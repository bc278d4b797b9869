#include "pipeline/colour_transform.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <emmintrin.h>
#include <lcms2.h>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace imgline::pipeline {
namespace {

// Distinct profiles kept; a shop's photos come from a handful of cameras and editors. Past
// this, a profile's transform is built for the call and freed.
constexpr std::size_t kMaxKept = 32;

struct TransformFree {
    void operator()(void* transform) const {
        cmsDeleteTransform(static_cast<cmsHTRANSFORM>(transform));
    }
};

using LcmsTransform = std::unique_ptr<void, TransformFree>;

// Steps of the linear light → sRGB table: 1/16383 of full scale is a fifth of an 8-bit level
// where the sRGB curve is steepest (its linear toe), so the table adds no visible error.
constexpr int kEncodeSteps = 16383;

// An RGB profile made of three tone curves and a matrix (cameras, phones, Display P3, Adobe
// RGB): its pixels become sRGB through a 256-entry decode table per channel, one 3×3 matrix
// and a table of the sRGB curve, about four times faster than lcms' 3D table for 8-bit pixels.
// Both profiles' colorants are relative to the D50 connection space, so the matrix is
// relative colorimetric, as lcms' own.
struct MatrixShaper {
    std::array<std::array<float, 256>, 3> decode{};
    std::array<std::array<float, 3>, 3> matrix{};
    std::array<std::uint8_t, kEncodeSteps + 1> encode{};

    void convert(const std::uint8_t* in, std::uint8_t* out, std::size_t pixels, int bands) const {
        // In runs of pixels: the table lookups one by one, the matrix over the run (the
        // compiler turns that loop into vector instructions).
        constexpr std::size_t kRun = 256;
        std::array<std::array<float, kRun>, 3> linear{};
        std::array<std::array<std::int32_t, kRun>, 3> steps{};
        const auto stride = static_cast<std::size_t>(bands);
        for (std::size_t start = 0; start < pixels; start += kRun) {
            const std::size_t run = std::min(kRun, pixels - start);
            const std::uint8_t* from = in + start * stride;
            for (std::size_t i = 0; i < run; ++i) {
                linear[0][i] = decode[0][from[i * stride]];
                linear[1][i] = decode[1][from[i * stride + 1]];
                linear[2][i] = decode[2][from[i * stride + 2]];
            }
            for (std::size_t c = 0; c < 3; ++c) {
                const __m128 m0 = _mm_set1_ps(matrix[c][0]);
                const __m128 m1 = _mm_set1_ps(matrix[c][1]);
                const __m128 m2 = _mm_set1_ps(matrix[c][2]);
                const __m128 zero = _mm_setzero_ps();
                const __m128 top = _mm_set1_ps(static_cast<float>(kEncodeSteps));
                const __m128 half = _mm_set1_ps(0.5F);
                for (std::size_t i = 0; i < run; i += 4) {  // kRun is a multiple of 4
                    const __m128 value =
                        _mm_add_ps(_mm_add_ps(_mm_mul_ps(m0, _mm_loadu_ps(&linear[0][i])),
                                              _mm_mul_ps(m1, _mm_loadu_ps(&linear[1][i]))),
                                   _mm_mul_ps(m2, _mm_loadu_ps(&linear[2][i])));
                    const __m128 scaled = _mm_min_ps(_mm_max_ps(_mm_mul_ps(value, top), zero), top);
                    _mm_storeu_si128(reinterpret_cast<__m128i*>(&steps[c][i]),
                                     _mm_cvttps_epi32(_mm_add_ps(scaled, half)));
                }
            }
            std::uint8_t* to = out + start * stride;
            for (std::size_t i = 0; i < run; ++i) {
                if (bands == 4) {
                    to[i * stride + 3] = from[i * stride + 3];  // before `to` overwrites `from`
                }
                to[i * stride] = encode[static_cast<std::size_t>(steps[0][i])];
                to[i * stride + 1] = encode[static_cast<std::size_t>(steps[1][i])];
                to[i * stride + 2] = encode[static_cast<std::size_t>(steps[2][i])];
            }
        }
    }
};

// The three colorants of an RGB matrix-shaper profile as the columns of its RGB → XYZ matrix.
std::optional<std::array<std::array<double, 3>, 3>> colorants_of(cmsHPROFILE profile) {
    std::array<std::array<double, 3>, 3> matrix{};
    const std::array<cmsTagSignature, 3> tags{cmsSigRedColorantTag, cmsSigGreenColorantTag,
                                              cmsSigBlueColorantTag};
    for (std::size_t column = 0; column < 3; ++column) {
        const auto* xyz = static_cast<const cmsCIEXYZ*>(cmsReadTag(profile, tags[column]));
        if (xyz == nullptr) {
            return std::nullopt;
        }
        matrix[0][column] = xyz->X;
        matrix[1][column] = xyz->Y;
        matrix[2][column] = xyz->Z;
    }
    return matrix;
}

std::optional<std::array<std::array<double, 3>, 3>> inverse_of(
    const std::array<std::array<double, 3>, 3>& m) {
    const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                       m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                       m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    if (std::abs(det) < 1e-9) {
        return std::nullopt;
    }
    std::array<std::array<double, 3>, 3> inverse{};
    for (int row = 0; row < 3; ++row) {
        for (int column = 0; column < 3; ++column) {
            // The cofactor of (column, row), divided by the determinant.
            const int r0 = (column + 1) % 3;
            const int r1 = (column + 2) % 3;
            const int c0 = (row + 1) % 3;
            const int c1 = (row + 2) % 3;
            inverse[row][column] = (m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0]) / det;
        }
    }
    return inverse;
}

// Whether lcms would read `profile` as a matrix-shaper for a relative colorimetric transform:
// it has the matrix and the curves, and no table tag that lcms would take instead.
bool is_plain_matrix_shaper(cmsHPROFILE profile) {
    if (cmsGetColorSpace(profile) != cmsSigRgbData || !cmsIsMatrixShaper(profile)) {
        return false;
    }
    for (const cmsTagSignature table : {cmsSigAToB0Tag, cmsSigAToB1Tag, cmsSigAToB2Tag,
                                        cmsSigDToB0Tag, cmsSigDToB1Tag, cmsSigDToB2Tag}) {
        if (cmsIsTag(profile, table)) {
            return false;
        }
    }
    return true;
}

std::unique_ptr<MatrixShaper> matrix_shaper_for(cmsHPROFILE input, cmsHPROFILE srgb) {
    if (!is_plain_matrix_shaper(input)) {
        return nullptr;
    }
    const auto from = colorants_of(input);
    const auto to = colorants_of(srgb);
    const auto to_inverse = to ? inverse_of(*to) : std::nullopt;
    const auto* srgb_curve = static_cast<const cmsToneCurve*>(cmsReadTag(srgb, cmsSigRedTRCTag));
    if (!from || !to_inverse || srgb_curve == nullptr) {
        return nullptr;
    }
    auto shaper = std::make_unique<MatrixShaper>();
    const std::array<cmsTagSignature, 3> curves{cmsSigRedTRCTag, cmsSigGreenTRCTag,
                                                cmsSigBlueTRCTag};
    for (std::size_t channel = 0; channel < 3; ++channel) {
        const auto* curve = static_cast<const cmsToneCurve*>(cmsReadTag(input, curves[channel]));
        if (curve == nullptr) {
            return nullptr;
        }
        for (int level = 0; level < 256; ++level) {
            shaper->decode[channel][static_cast<std::size_t>(level)] =
                cmsEvalToneCurveFloat(curve, static_cast<cmsFloat32Number>(level / 255.0));
        }
    }
    for (std::size_t row = 0; row < 3; ++row) {
        for (std::size_t column = 0; column < 3; ++column) {
            double sum = 0;
            for (std::size_t k = 0; k < 3; ++k) {
                sum += (*to_inverse)[row][k] * (*from)[k][column];
            }
            shaper->matrix[row][column] = static_cast<float>(sum);
        }
    }
    cmsToneCurve* srgb_encode = cmsReverseToneCurve(srgb_curve);
    if (srgb_encode == nullptr) {
        return nullptr;
    }
    for (int step = 0; step <= kEncodeSteps; ++step) {
        const double encoded = cmsEvalToneCurveFloat(
            srgb_encode, static_cast<cmsFloat32Number>(step / static_cast<double>(kEncodeSteps)));
        shaper->encode[static_cast<std::size_t>(step)] =
            static_cast<std::uint8_t>(std::clamp(std::lround(encoded * 255.0), 0L, 255L));
    }
    cmsFreeToneCurve(srgb_encode);
    return shaper;
}

// One profile's way to sRGB: the matrix-shaper when the profile is one, else lcms' transform.
struct Conversion {
    std::unique_ptr<MatrixShaper> shaper;
    LcmsTransform transform;

    void run(const std::uint8_t* in, std::uint8_t* out, int width, int height, int bands) const {
        if (shaper) {
            shaper->convert(in, out, static_cast<std::size_t>(width) * height, bands);
            return;
        }
        const auto row_bytes = static_cast<cmsUInt32Number>(width * bands);
        cmsDoTransformLineStride(transform.get(), in, out, static_cast<cmsUInt32Number>(width),
                                 static_cast<cmsUInt32Number>(height), row_bytes, row_bytes, 0, 0);
    }
};

std::shared_ptr<const Conversion> build(std::string_view profile, int bands) {
    cmsHPROFILE input =
        cmsOpenProfileFromMem(profile.data(), static_cast<cmsUInt32Number>(profile.size()));
    if (input == nullptr) {
        return nullptr;
    }
    std::shared_ptr<Conversion> conversion;
    if (cmsGetColorSpace(input) == cmsSigRgbData) {
        cmsHPROFILE srgb = cmsCreate_sRGBProfile();
        conversion = std::make_shared<Conversion>();
        conversion->shaper = matrix_shaper_for(input, srgb);
        if (!conversion->shaper) {
            const cmsUInt32Number format = bands == 4 ? TYPE_RGBA_8 : TYPE_RGB_8;
            // No 1-pixel cache: one transform serves every thread at once.
            conversion->transform.reset(cmsCreateTransform(input, format, srgb, format,
                                                           INTENT_RELATIVE_COLORIMETRIC,
                                                           cmsFLAGS_NOCACHE | cmsFLAGS_COPY_ALPHA));
            if (!conversion->transform) {
                conversion.reset();
            }
        }
        cmsCloseProfile(srgb);
    }
    cmsCloseProfile(input);
    return conversion;
}

class ConversionCache {
public:
    // The conversion for `profile` at `bands`; null when there is none.
    std::shared_ptr<const Conversion> get(std::string_view profile, int bands) {
        std::string key(profile);
        key.push_back(static_cast<char>(bands));
        {
            const std::lock_guard lock(mutex_);
            if (auto found = kept_.find(key); found != kept_.end()) {
                return found->second;
            }
        }
        auto built = build(profile, bands);
        if (!built) {
            return nullptr;
        }
        const std::lock_guard lock(mutex_);
        if (auto found = kept_.find(key); found != kept_.end()) {
            return found->second;  // another thread built it meanwhile
        }
        if (kept_.size() < kMaxKept) {
            kept_.emplace(std::move(key), built);
        }
        return built;
    }

private:
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const Conversion>, std::less<>> kept_;
};

ConversionCache& cache() {
    static ConversionCache instance;
    return instance;
}

}  // namespace

bool convert_to_srgb(std::span<const std::uint8_t> in,
                     std::span<std::uint8_t> out,
                     int width,
                     int height,
                     int bands,
                     std::string_view profile) {
    const auto size = static_cast<std::size_t>(width) * static_cast<std::size_t>(height) *
                      static_cast<std::size_t>(bands);
    if ((bands != 3 && bands != 4) || width <= 0 || height <= 0 || in.size() != size ||
        out.size() != size) {
        return false;
    }
    const auto conversion = cache().get(profile, bands);
    if (!conversion) {
        return false;
    }
    conversion->run(in.data(), out.data(), width, height, bands);
    return true;
}

bool is_grey_profile(std::string_view profile) {
    cmsHPROFILE opened =
        cmsOpenProfileFromMem(profile.data(), static_cast<cmsUInt32Number>(profile.size()));
    if (opened == nullptr) {
        return false;
    }
    const bool grey = cmsGetColorSpace(opened) == cmsSigGrayData;
    cmsCloseProfile(opened);
    return grey;
}

}  // namespace imgline::pipeline
