#pragma once

#include <optional>
#include <string_view>

namespace imgline::pipeline {

/// The image types imgline accepts (input) and produces (output: jpeg, webp, png, avif).
enum class ImageFormat { Jpeg, Png, Webp, Gif, Heif, Avif };

/// The type named by the file's magic bytes, from the strict allow-list; nullopt for anything
/// else (TIFF, BMP, SVG, PDF, PSD, text...), which is refused with 415 before any decoder runs.
std::optional<ImageFormat> sniff_format(std::string_view bytes);

/// "jpeg", "png", "webp", "gif", "heif", "avif".
std::string_view format_name(ImageFormat format);

/// "image/jpeg", ...
std::string_view mime_type(ImageFormat format);

/// File extension without the dot: "jpg", "png", "webp", "gif", "heic", "avif".
std::string_view file_extension(ImageFormat format);

/// "jpeg"/"jpg", "png", "webp", "gif", "heif"/"heic", "avif" → format.
std::optional<ImageFormat> parse_format_name(std::string_view name);

/// True for the formats renditions can be written in.
bool is_output_format(ImageFormat format);

}  // namespace imgline::pipeline
