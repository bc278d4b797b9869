#include "pipeline/passthrough.h"

#include <array>
#include <cstdint>

namespace imgline::pipeline {
namespace {

std::uint32_t big_endian(std::string_view bytes, std::size_t at, std::size_t width) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        value = (value << 8) | static_cast<std::uint8_t>(bytes[at + i]);
    }
    return value;
}

// What a render would produce has the original's own size.
bool keeps_size(const ImageInfo& info, const RenderPlan& plan) {
    if (plan.fit != Fit::Fit) {
        return info.width == plan.width && info.height == plan.height;
    }
    const bool inside = info.width <= plan.width && info.height <= plan.height;
    const bool touches = info.width == plan.width || info.height == plan.height;
    return inside && (!plan.upscale || touches);
}

constexpr std::uint8_t kSos = 0xDA;
constexpr std::uint8_t kEoi = 0xD9;
constexpr std::uint8_t kApp0 = 0xE0;
constexpr std::uint8_t kApp14 = 0xEE;
constexpr std::uint8_t kComment = 0xFE;

bool drops_jpeg_segment(std::uint8_t marker) {
    const bool application = marker >= kApp0 && marker <= 0xEF;
    return marker == kComment || (application && marker != kApp0 && marker != kApp14);
}

bool stands_alone(std::uint8_t marker) {
    return marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8);  // TEM, RSTn, SOI
}

}  // namespace

std::optional<std::string> strip_jpeg(std::string_view bytes) {
    if (bytes.size() < 4 || static_cast<std::uint8_t>(bytes[0]) != 0xFF ||
        static_cast<std::uint8_t>(bytes[1]) != 0xD8) {
        return std::nullopt;
    }
    std::string out(bytes.substr(0, 2));
    std::size_t at = 2;
    while (at + 2 <= bytes.size()) {
        if (static_cast<std::uint8_t>(bytes[at]) != 0xFF) {
            return std::nullopt;
        }
        const auto marker = static_cast<std::uint8_t>(bytes[at + 1]);
        if (marker == 0xFF) {
            ++at;  // fill byte
            continue;
        }
        if (marker == kEoi) {
            out.append(bytes.substr(at, 2));
            return out;
        }
        if (stands_alone(marker)) {
            out.append(bytes.substr(at, 2));
            at += 2;
            continue;
        }
        if (at + 4 > bytes.size()) {
            return std::nullopt;
        }
        const std::size_t length = big_endian(bytes, at + 2, 2);
        if (length < 2 || at + 2 + length > bytes.size()) {
            return std::nullopt;
        }
        if (marker == kSos) {
            out.append(bytes.substr(at));  // the scans and everything after them, as they are
            return out;
        }
        if (!drops_jpeg_segment(marker)) {
            out.append(bytes.substr(at, 2 + length));
        }
        at += 2 + length;
    }
    return std::nullopt;
}

std::optional<std::string> strip_png(std::string_view bytes) {
    static constexpr std::string_view kSignature = "\x89PNG\r\n\x1A\n";
    static constexpr std::array<std::string_view, 9> kKept{"IHDR", "PLTE", "IDAT", "IEND", "tRNS",
                                                           "gAMA", "cHRM", "sRGB", "sBIT"};
    if (!bytes.starts_with(kSignature)) {
        return std::nullopt;
    }
    std::string out(kSignature);
    std::size_t at = kSignature.size();
    while (at + 12 <= bytes.size()) {
        const std::size_t length = big_endian(bytes, at, 4);
        if (length > bytes.size() - at - 12) {
            return std::nullopt;
        }
        const std::string_view type = bytes.substr(at + 4, 4);
        const std::size_t whole = 12 + length;
        for (auto kept : kKept) {
            if (type == kept) {
                out.append(bytes.substr(at, whole));
                break;
            }
        }
        at += whole;
        if (type == "IEND") {
            return out;
        }
    }
    return std::nullopt;
}

std::optional<std::string> passthrough(std::string_view original,
                                       const ImageInfo& info,
                                       const RenderPlan& plan) {
    const bool same_format = info.format == plan.format &&
                             (info.format == ImageFormat::Jpeg || info.format == ImageFormat::Png);
    const bool fixed = plan.fix.reshapes() || (plan.fix.flatten && info.has_alpha);
    if (!same_format || fixed || info.orientation != 1 || info.is_cmyk || info.has_icc ||
        info.frames != 1 || !keeps_size(info, plan)) {
        return std::nullopt;
    }
    auto stripped = info.format == ImageFormat::Jpeg ? strip_jpeg(original) : strip_png(original);
    if (!stripped || stripped->size() > plan.budget.max_bytes) {
        return std::nullopt;
    }
    return stripped;
}

}  // namespace imgline::pipeline
