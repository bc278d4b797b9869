#pragma once

// Internal to pipeline/: from client bytes to the pixels of a rendition.
#include "common/expected.h"
#include "pipeline/deadline_guard.h"
#include "pipeline/decode_route.h"
#include "pipeline/decoded_pixels.h"
#include "pipeline/probe.h"
#include "pipeline/render_plan.h"

#include <string_view>

#include <vips/vips8>

namespace imgline::pipeline {

/// sRGB, 8-bit, 3 bands plus alpha if any: what every encoder and measure expects.
vips::VImage to_srgb8(vips::VImage image);

/// A libvips image (in memory, a copy) of pixels decoded outside libvips, with their ICC
/// profile if they carry one.
vips::VImage image_of(const DecodedPixels& pixels);

/// A transform's result: the pixels, and the route that decoded them (for the render metric).
struct Transformed {
    vips::VImage pixels;
    DecodeRoute route = DecodeRoute::Thumbnail;
};

/// Decodes `bytes` (already probed) with shrink-on-load, turns it upright from its EXIF
/// orientation, converts any ICC profile or CMYK to sRGB, applies the plan's geometry (fit,
/// fill with centre/attention gravity, pad on the background), sharpens lightly after a large
/// reduction, flattens alpha onto the background when the output format has none, and returns
/// the 8-bit sRGB result in memory, ready for repeated encodes. The first frame of an
/// animation is used. The decode route is choose_decode_route's, and where an embedded profile
/// becomes sRGB is choose_colour_step's (from plan.shares_cores). 422 CorruptImage when the
/// pixels cannot be decoded, 503 Timeout when the guard's deadline passes.
Expected<Transformed> transform(std::string_view bytes,
                                const ImageInfo& info,
                                const RenderPlan& plan,
                                const DeadlineGuard& guard);

}  // namespace imgline::pipeline
