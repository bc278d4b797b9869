#pragma once

#include "pipeline/probe.h"
#include "pipeline/render_plan.h"

#include <optional>
#include <string>
#include <string_view>

namespace imgline::pipeline {

/// The original's own bytes with its metadata removed and not one pixel re-encoded, when it
/// already is what the plan asks for: the same format (JPEG or PNG), upright, sRGB without a
/// profile, one frame, within the box (exactly the box for fill and pad), and within the byte
/// budget once stripped. nullopt when any of that does not hold. Pure.
std::optional<std::string> passthrough(std::string_view original,
                                       const ImageInfo& info,
                                       const RenderPlan& plan);

/// A JPEG without its APP1-APP13/APP15 segments (EXIF, XMP, ICC, Photoshop...) and comments;
/// JFIF (APP0) and Adobe (APP14, which says how to read the colours) stay. nullopt if the
/// marker structure is broken.
std::optional<std::string> strip_jpeg(std::string_view bytes);

/// A PNG with only the chunks that make its pixels: IHDR, PLTE, IDAT, IEND and the colour
/// chunks tRNS, gAMA, cHRM, sRGB, sBIT (text, EXIF, time, animation chunks go). nullopt if the
/// chunk structure is broken.
std::optional<std::string> strip_png(std::string_view bytes);

}  // namespace imgline::pipeline
