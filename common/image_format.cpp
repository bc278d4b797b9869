#include "common/image_format.h"

#include <array>

namespace imgline {
namespace {

struct FormatFacts {
    ImageFormat format;
    std::string_view name;
    std::string_view mime;
    std::string_view extension;
};

constexpr std::array<FormatFacts, 6> kFacts{{
    {ImageFormat::Jpeg, "jpeg", "image/jpeg", "jpg"},
    {ImageFormat::Png, "png", "image/png", "png"},
    {ImageFormat::Webp, "webp", "image/webp", "webp"},
    {ImageFormat::Gif, "gif", "image/gif", "gif"},
    {ImageFormat::Heif, "heif", "image/heif", "heic"},
    {ImageFormat::Avif, "avif", "image/avif", "avif"},
}};

const FormatFacts& facts(ImageFormat format) {
    for (const auto& entry : kFacts) {
        if (entry.format == format) {
            return entry;
        }
    }
    return kFacts.front();
}

}  // namespace

std::string_view format_name(ImageFormat format) {
    return facts(format).name;
}

std::string_view mime_type(ImageFormat format) {
    return facts(format).mime;
}

std::string_view file_extension(ImageFormat format) {
    return facts(format).extension;
}

std::optional<ImageFormat> parse_format_name(std::string_view name) {
    if (name == "jpeg" || name == "jpg") {
        return ImageFormat::Jpeg;
    }
    if (name == "heif" || name == "heic") {
        return ImageFormat::Heif;
    }
    for (auto format : {ImageFormat::Png, ImageFormat::Webp, ImageFormat::Gif, ImageFormat::Avif}) {
        if (name == format_name(format)) {
            return format;
        }
    }
    return std::nullopt;
}

bool is_output_format(ImageFormat format) {
    return format == ImageFormat::Jpeg || format == ImageFormat::Webp ||
           format == ImageFormat::Png || format == ImageFormat::Avif;
}

}  // namespace imgline
