#pragma once

#include <optional>
#include <string_view>

namespace imgline {

/// The image types imgline accepts (input) and produces (output: jpeg, webp, png, avif): one
/// type shared by every room (the pipeline's decoders, cdn's negotiation and keys, the caches,
/// the rendition service and the handlers).
enum class ImageFormat { Jpeg, Png, Webp, Gif, Heif, Avif };

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

}  // namespace imgline
