#include "pipeline/colour_transform.h"

#include <lcms2.h>
#include <map>
#include <memory>
#include <mutex>
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

using Transform = std::unique_ptr<void, TransformFree>;

Transform build(std::string_view profile, int bands) {
    cmsHPROFILE input =
        cmsOpenProfileFromMem(profile.data(), static_cast<cmsUInt32Number>(profile.size()));
    if (input == nullptr) {
        return nullptr;
    }
    Transform transform;
    if (cmsGetColorSpace(input) == cmsSigRgbData) {
        cmsHPROFILE srgb = cmsCreate_sRGBProfile();
        const cmsUInt32Number format = bands == 4 ? TYPE_RGBA_8 : TYPE_RGB_8;
        // No 1-pixel cache: one transform serves every thread at once.
        transform.reset(cmsCreateTransform(input, format, srgb, format,
                                           INTENT_RELATIVE_COLORIMETRIC,
                                           cmsFLAGS_NOCACHE | cmsFLAGS_COPY_ALPHA));
        cmsCloseProfile(srgb);
    }
    cmsCloseProfile(input);
    return transform;
}

class TransformCache {
public:
    // The transform for `profile` at `bands`, and whether the cache owns it.
    std::pair<cmsHTRANSFORM, Transform> get(std::string_view profile, int bands) {
        std::string key(profile);
        key.push_back(static_cast<char>(bands));
        {
            const std::lock_guard lock(mutex_);
            if (auto found = kept_.find(key); found != kept_.end()) {
                return {found->second.get(), nullptr};
            }
        }
        Transform built = build(profile, bands);
        if (!built) {
            return {nullptr, nullptr};
        }
        const std::lock_guard lock(mutex_);
        if (auto found = kept_.find(key); found != kept_.end()) {
            return {found->second.get(), nullptr};  // another thread built it meanwhile
        }
        if (kept_.size() >= kMaxKept) {
            cmsHTRANSFORM raw = built.get();
            return {raw, std::move(built)};
        }
        cmsHTRANSFORM raw = built.get();
        kept_.emplace(std::move(key), std::move(built));
        return {raw, nullptr};
    }

private:
    std::mutex mutex_;
    std::map<std::string, Transform, std::less<>> kept_;
};

TransformCache& cache() {
    static TransformCache instance;
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
    auto [transform, owned] = cache().get(profile, bands);
    if (transform == nullptr) {
        return false;
    }
    const auto row_bytes = static_cast<cmsUInt32Number>(width * bands);
    cmsDoTransformLineStride(transform, in.data(), out.data(), static_cast<cmsUInt32Number>(width),
                             static_cast<cmsUInt32Number>(height), row_bytes, row_bytes, 0, 0);
    return true;
}

}  // namespace imgline::pipeline
