// bench/png: where a large PNG's decode time goes, imgline's fast path against libvips' own
// loader, on one file (default: the corpus' 24 MP cut-out). Medians of REPEATS, in ms:
//   - inflating the rows (the IDAT stream) with zlib, as libpng does, and with libdeflate;
//   - pipeline::read_png whole (inflate + unfilter) and box-shrunk by 6 (the 800 px render);
//   - libvips' pngload into memory (libpng + zlib), and its thumbnail to 800 px.
// Usage: bench/png [PNG] [REPEATS]
#include "bench/bench_files.h"
#include "pipeline/png_reader.h"
#include "pipeline/vips_runtime.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <libdeflate.h>
#include <string>
#include <vector>
#include <zlib.h>

#include <vips/vips8>

using imgline::bench::median_ms;
using vips::VImage;

namespace {

std::uint32_t big_endian(const unsigned char* p) {
    return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
           (static_cast<std::uint32_t>(p[2]) << 8) | static_cast<std::uint32_t>(p[3]);
}

struct Stream {
    std::string idat;
    std::size_t inflated = 0;  // rows with their filter bytes
};

// The concatenated IDAT chunks and the size they inflate to (8-bit, not interlaced).
Stream image_data(const std::string& png) {
    static constexpr int kBandsForColourType[] = {1, 0, 3, 0, 2, 0, 4};
    Stream stream;
    const auto* at = reinterpret_cast<const unsigned char*>(png.data()) + 8;
    const auto* end = reinterpret_cast<const unsigned char*>(png.data()) + png.size();
    while (end - at >= 12) {
        const std::uint32_t length = big_endian(at);
        const std::string type(reinterpret_cast<const char*>(at + 4), 4);
        if (type == "IHDR") {
            const std::size_t width = big_endian(at + 8);
            const std::size_t height = big_endian(at + 12);
            stream.inflated = (width * kBandsForColourType[at[17] % 7] + 1) * height;
        } else if (type == "IDAT") {
            stream.idat.append(reinterpret_cast<const char*>(at + 8), length);
        }
        at += 12 + length;
    }
    return stream;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string path = argc > 1 ? argv[1] : "tests/data/corpus/rembg__food-1.out.alpha.png";
    const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
    if (!imgline::pipeline::start_vips(argv[0], 1)) {
        return 1;
    }
    const std::string png = imgline::bench::read_file(path);
    const Stream stream = image_data(png);
    std::vector<unsigned char> rows(stream.inflated);
    const double zlib_ms = median_ms(repeats, [&] {
        uLongf length = rows.size();
        uncompress(rows.data(), &length, reinterpret_cast<const Bytef*>(stream.idat.data()),
                   stream.idat.size());
    });
    libdeflate_decompressor* inflater = libdeflate_alloc_decompressor();
    const double deflate_ms = median_ms(repeats, [&] {
        std::size_t produced = 0;
        libdeflate_zlib_decompress(inflater, stream.idat.data(), stream.idat.size(), rows.data(),
                                   rows.size(), &produced);
    });
    libdeflate_free_decompressor(inflater);
    const double whole_ms = median_ms(
        repeats, [&] { (void)imgline::pipeline::read_png(png, 1, std::size_t{1} << 30); });
    const double shrunk_ms = median_ms(
        repeats, [&] { (void)imgline::pipeline::read_png(png, 6, std::size_t{1} << 30); });
    const double vips_load_ms = median_ms(
        repeats, [&] { (void)VImage::new_from_buffer(png.data(), png.size(), "").copy_memory(); });
    const double vips_thumbnail_ms = median_ms(repeats, [&] {
        VipsBlob* blob = vips_blob_new(nullptr, png.data(), png.size());
        (void)VImage::thumbnail_buffer(blob, 800).copy_memory();
        vips_area_unref(VIPS_AREA(blob));
    });
    std::printf("## bench/png: %s (%zu bytes, %zu bytes of rows), median of %d, one thread\n\n",
                path.c_str(), png.size(), stream.inflated, repeats);
    std::printf("| step | ms |\n|---|---|\n");
    std::printf("| inflate the rows with zlib (as libpng does) | %.1f |\n", zlib_ms);
    std::printf("| inflate the rows with libdeflate | %.1f |\n", deflate_ms);
    std::printf("| imgline read_png, whole (inflate + unfilter) | %.1f |\n", whole_ms);
    std::printf("| imgline read_png, box-shrunk by 6 as the rows come | %.1f |\n", shrunk_ms);
    std::printf("| libvips pngload into memory | %.1f |\n", vips_load_ms);
    std::printf("| libvips thumbnail to 800 px | %.1f |\n", vips_thumbnail_ms);
    imgline::pipeline::stop_vips();
    return 0;
}
