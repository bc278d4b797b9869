#pragma once

#include "common/image_format.h"

#include <optional>
#include <string_view>

namespace imgline::pipeline {

// The format type and its names are common/image_format.h's, seen here as pipeline's own.
using imgline::file_extension;
using imgline::format_name;
using imgline::ImageFormat;
using imgline::is_output_format;
using imgline::mime_type;
using imgline::parse_format_name;

/// The type named by the file's magic bytes, from the strict allow-list; nullopt for anything
/// else (TIFF, BMP, SVG, PDF, PSD, text...), which is refused with 415 before any decoder runs.
std::optional<ImageFormat> sniff_format(std::string_view bytes);

}  // namespace imgline::pipeline
