#include "pipeline/jpeg_writer.h"

#include <array>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

namespace imgline::pipeline {
namespace {

// libjpeg reports errors by calling error_exit, which by default ends the process; ours jumps
// back to write_pixels with the message. Only plain C data lives between setjmp and longjmp.
struct ErrorTrap {
    jpeg_error_mgr manager{};
    std::jmp_buf jump{};
    std::array<char, JMSG_LENGTH_MAX> message{};
};

void trap_error(j_common_ptr info) {
    auto* trap = reinterpret_cast<ErrorTrap*>(info->err);
    (*info->err->format_message)(info, trap->message.data());
    std::longjmp(trap->jump, 1);
}

void ignore_message(j_common_ptr /*info*/) {}

// DC of all components; luma AC at half precision; each chroma's AC; luma AC refined.
// Component 0 is Y, 1 Cb, 2 Cr. A single-component (grey) image uses scans 0, 1 and 4 only.
constexpr std::array<jpeg_scan_info, 5> kColourScans{{
    {3, {0, 1, 2, 0}, 0, 0, 0, 0},
    {1, {0, 0, 0, 0}, 1, 63, 0, 1},
    {1, {1, 0, 0, 0}, 1, 63, 0, 0},
    {1, {2, 0, 0, 0}, 1, 63, 0, 0},
    {1, {0, 0, 0, 0}, 1, 63, 1, 0},
}};
constexpr std::array<jpeg_scan_info, 3> kGreyScans{{
    {1, {0, 0, 0, 0}, 0, 0, 0, 0},
    {1, {0, 0, 0, 0}, 1, 63, 0, 1},
    {1, {0, 0, 0, 0}, 1, 63, 1, 0},
}};

struct Output {
    unsigned char* data = nullptr;
    unsigned long size = 0;  // NOLINT(google-runtime-int): libjpeg's type
};

// Returns false with trap.message set when libjpeg failed; `output` is then still freed by
// the caller.
bool write_pixels(const std::uint8_t* pixels,
                  int width,
                  int height,
                  int bands,
                  const JpegSettings& settings,
                  ErrorTrap& trap,
                  Output& output) {
    jpeg_compress_struct info{};
    info.err = jpeg_std_error(&trap.manager);
    trap.manager.error_exit = trap_error;
    trap.manager.output_message = ignore_message;
    if (setjmp(trap.jump) != 0) {
        jpeg_destroy_compress(&info);
        return false;
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, &output.data, &output.size);
    info.image_width = static_cast<JDIMENSION>(width);
    info.image_height = static_cast<JDIMENSION>(height);
    info.input_components = bands;
    info.in_color_space = bands == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, settings.quality, TRUE);
    info.optimize_coding = TRUE;
    if (bands == 3) {
        const int luma_sampling = settings.chroma_full ? 1 : 2;
        info.comp_info[0].h_samp_factor = luma_sampling;
        info.comp_info[0].v_samp_factor = luma_sampling;
    }
    if (settings.progressive) {
        info.scan_info = bands == 1 ? kGreyScans.data() : kColourScans.data();
        info.num_scans = bands == 1 ? static_cast<int>(kGreyScans.size())
                                    : static_cast<int>(kColourScans.size());
    }
    jpeg_start_compress(&info, TRUE);
    const std::size_t row_size = static_cast<std::size_t>(width) * static_cast<std::size_t>(bands);
    while (info.next_scanline < info.image_height) {
        // libjpeg takes non-const rows but only reads them.
        auto* row = const_cast<std::uint8_t*>(pixels + row_size * info.next_scanline);
        JSAMPROW rows[1] = {row};
        jpeg_write_scanlines(&info, rows, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    return true;
}

}  // namespace

Expected<std::string> write_jpeg(std::span<const std::uint8_t> pixels,
                                 int width,
                                 int height,
                                 int bands,
                                 const JpegSettings& settings) {
    if (width <= 0 || height <= 0 || width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION ||
        (bands != 1 && bands != 3) ||
        pixels.size() < static_cast<std::size_t>(width) * static_cast<std::size_t>(height) *
                            static_cast<std::size_t>(bands)) {
        return fail(ErrorCode::Internal, "jpeg encoding failed",
                    "unsupported geometry " + std::to_string(width) + "x" + std::to_string(height) +
                        "x" + std::to_string(bands));
    }
    ErrorTrap trap;
    Output output;
    const bool written = write_pixels(pixels.data(), width, height, bands, settings, trap, output);
    std::string bytes;
    if (written) {
        bytes.assign(reinterpret_cast<const char*>(output.data), output.size);
    }
    std::free(output.data);  // allocated by jpeg_mem_dest
    if (!written) {
        return fail(ErrorCode::Internal, "jpeg encoding failed", trap.message.data());
    }
    return bytes;
}

}  // namespace imgline::pipeline
