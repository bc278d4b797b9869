// bench/colour: the colour step of a render, an embedded RGB profile to sRGB on the resized
// pixels, for every corpus photo whose profile is not sRGB. Medians of REPEATS, in ms:
//   - pipeline::convert_to_srgb (what a render sharing the cores uses: the profile's kept
//     conversion, a matrix-shaper's own tables where the profile is one);
//   - an lcms transform built once and kept (imgline's conversion before the matrix-shaper);
//   - libvips' icc_transform (what libvips 8.14 does in each render: a new lcms transform).
// and how far ours lands from libvips' (largest and mean difference, in 8-bit levels).
// Usage: bench/colour [CORPUS DIR] [WIDTH, default 800] [REPEATS, default 15]
#include "bench/bench_files.h"
#include "pipeline/colour_transform.h"
#include "pipeline/vips_runtime.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <lcms2.h>
#include <string>
#include <vector>

#include <vips/vips8>

using imgline::bench::median_ms;
using vips::VImage;

namespace {

std::vector<std::uint8_t> samples_of(const VImage& image) {
    const auto* data = static_cast<const std::uint8_t*>(image.data());
    return {data, data + static_cast<std::size_t>(image.width()) * image.height() * image.bands()};
}

}  // namespace

int main(int argc, char** argv) {
    const std::filesystem::path corpus = argc > 1 ? argv[1] : "tests/data/corpus";
    const int width = argc > 2 ? std::atoi(argv[2]) : 800;
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 15;
    if (!imgline::pipeline::start_vips(argv[0], 1)) {
        return 1;
    }
    std::printf(
        "| photo | profile | pixels | imgline ms | lcms kept ms | libvips ms | "
        "imgline / lcms | imgline / libvips | largest difference | mean difference |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
    const auto photos = imgline::bench::files_in(corpus);
    for (const auto& path : photos) {
        VImage device;
        std::string profile;
        try {
            const VImage thumbnail =
                VImage::thumbnail(path.c_str(), width, VImage::option()->set("no_rotate", true));
            if (thumbnail.get_typeof(VIPS_META_ICC_NAME) == 0 ||
                thumbnail.format() != VIPS_FORMAT_UCHAR || thumbnail.bands() != 3) {
                continue;
            }
            // Taken while the loaded image lives (libvips 8.14.1's HEIF loader frees it with
            // that image), and given to the copy in memory.
            std::size_t length = 0;
            const void* data = thumbnail.get_blob(VIPS_META_ICC_NAME, &length);
            profile.assign(static_cast<const char*>(data), length);
            device = thumbnail.copy_memory();
            vips_image_set_blob_copy(device.get_image(), VIPS_META_ICC_NAME, profile.data(),
                                     profile.size());
        } catch (const vips::VError&) {
            continue;  // not an image libvips reads (licences, manifest)
        }
        cmsHPROFILE input =
            cmsOpenProfileFromMem(profile.data(), static_cast<cmsUInt32Number>(profile.size()));
        if (input == nullptr) {
            continue;  // a profile lcms cannot read: libvips converts those
        }
        char description[128] = "";
        cmsGetProfileInfoASCII(input, cmsInfoDescription, "en", "US", description,
                               sizeof description);
        if (std::string(description).find("sRGB") != std::string::npos) {
            cmsCloseProfile(input);
            continue;
        }
        const auto before = samples_of(device);
        std::vector<std::uint8_t> ours(before.size());
        std::vector<std::uint8_t> kept(before.size());
        if (!imgline::pipeline::convert_to_srgb(before, ours, device.width(), device.height(), 3,
                                                profile)) {
            cmsCloseProfile(input);
            continue;
        }
        const double ours_ms = median_ms(repeats, [&] {
            imgline::pipeline::convert_to_srgb(before, ours, device.width(), device.height(), 3,
                                               profile);
        });
        cmsHPROFILE srgb = cmsCreate_sRGBProfile();
        cmsHTRANSFORM transform = cmsCreateTransform(
            input, TYPE_RGB_8, srgb, TYPE_RGB_8, INTENT_RELATIVE_COLORIMETRIC, cmsFLAGS_NOCACHE);
        const auto row_bytes = static_cast<cmsUInt32Number>(device.width() * 3);
        const double kept_ms = median_ms(repeats, [&] {
            cmsDoTransformLineStride(
                transform, before.data(), kept.data(), static_cast<cmsUInt32Number>(device.width()),
                static_cast<cmsUInt32Number>(device.height()), row_bytes, row_bytes, 0, 0);
        });
        cmsDeleteTransform(transform);
        cmsCloseProfile(srgb);
        cmsCloseProfile(input);
        VImage theirs;
        const double vips_ms = median_ms(repeats, [&] {
            theirs = device
                         .icc_transform("srgb", VImage::option()
                                                    ->set("embedded", true)
                                                    ->set("intent", VIPS_INTENT_RELATIVE))
                         .cast(VIPS_FORMAT_UCHAR)
                         .copy_memory();
        });
        const auto reference = samples_of(theirs);
        int largest = 0;
        double total = 0;
        for (std::size_t i = 0; i < ours.size(); ++i) {
            const int difference = std::abs(ours[i] - reference[i]);
            largest = std::max(largest, difference);
            total += difference;
        }
        std::printf("| %s | %s | %dx%d | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %.3f |\n",
                    path.filename().c_str(), description, device.width(), device.height(), ours_ms,
                    kept_ms, vips_ms, ours_ms / kept_ms, ours_ms / vips_ms, largest,
                    total / static_cast<double>(ours.size()));
    }
    imgline::pipeline::stop_vips();
    return 0;
}
