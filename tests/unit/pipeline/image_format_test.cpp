#include "pipeline/image_format.h"

#include <catch2/catch.hpp>

using namespace imgline::pipeline;

TEST_CASE("the sniffer knows the allow-list by magic bytes and nothing else",
          "[unit][pipeline][format]") {
    using namespace std::string_literals;

    struct Case {
        std::string bytes;
        std::optional<ImageFormat> format;
    };

    const Case cases[] = {
        {"\xFF\xD8\xFF\xE0rest"s, ImageFormat::Jpeg},
        {"\x89PNG\r\n\x1A\n...."s, ImageFormat::Png},
        {"RIFF\x10\0\0\0WEBPVP8 "s, ImageFormat::Webp},
        {"GIF89a.."s, ImageFormat::Gif},
        {"GIF87a.."s, ImageFormat::Gif},
        {"\0\0\0\x18"
         "ftypheic\0\0\0\0"s,
         ImageFormat::Heif},
        {"\0\0\0\x18"
         "ftypmif1\0\0\0\0"s,
         ImageFormat::Heif},
        {"\0\0\0\x1C"
         "ftypavif\0\0\0\0"s,
         ImageFormat::Avif},
        {"\0\0\0\x18"
         "ftypmp42\0\0\0\0"s,
         std::nullopt},            // a video, not an image
        {"II*\0"s, std::nullopt},  // TIFF
        {"BM6\0"s, std::nullopt},  // BMP
        {"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"s, std::nullopt},
        {"%PDF-1.4"s, std::nullopt},
        {"8BPS"s, std::nullopt},  // PSD
        {"RIFF\x10\0\0\0WAVE"s, std::nullopt},
        {"\xFF\xD8"s, std::nullopt},  // too short to be a JPEG
        {""s, std::nullopt},
    };
    for (const auto& c : cases) {
        CAPTURE(c.bytes);
        CHECK(sniff_format(c.bytes) == c.format);
    }
}

TEST_CASE("format names, extensions and MIME types agree", "[unit][pipeline][format]") {
    for (auto format : {ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::Webp, ImageFormat::Gif,
                        ImageFormat::Heif, ImageFormat::Avif}) {
        CHECK(parse_format_name(format_name(format)) == format);
        CHECK(parse_format_name(file_extension(format)) == format);
        CHECK(mime_type(format).starts_with("image/"));
    }
    CHECK(parse_format_name("tiff") == std::nullopt);
    CHECK(is_output_format(ImageFormat::Avif));
    CHECK_FALSE(is_output_format(ImageFormat::Gif));
}
