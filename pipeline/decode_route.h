#pragma once

// Which way a render decodes and resizes its source: chosen from the probe and the plan alone
// (pure: no libvips here), so the choice is one table, tested as one.
#include "pipeline/probe.h"
#include "pipeline/render_plan.h"
#include "pipeline/resample.h"

#include <optional>
#include <string_view>

namespace imgline::pipeline {

enum class DecodeRoute {
    /// CMYK: imported with the file's own profile (libvips 8.14's thumbnail would drop it),
    /// then libvips' thumbnail.
    Cmyk,
    /// JPEG with fit, pad or fill at the centre: decoded with shrink-on-load into memory,
    /// resized by pipeline/resample, turned upright and cropped in one pass.
    JpegInMemory,
    /// Upright PNG: imgline's PNG reader with a box shrink as the rows come; opaque ones then
    /// resize in memory, cut-outs with alpha in libvips.
    PngFastPath,
    /// JPEG that libvips would decode larger than needed: shrunk in the decoder, then libvips'
    /// thumbnail (a fill by attention, mostly).
    JpegShrunk,
    /// Everything else: libvips' thumbnail from the bytes.
    Thumbnail,
};

/// "cmyk", "jpeg-in-memory", "png-fast-path", "jpeg-shrunk", "thumbnail" (a metric label).
std::string_view route_name(DecodeRoute route);

/// The route a render of `info` under `plan` starts on. A route may still hand over to the
/// next one when the decoded pixels say so (a PNG the reader declines, pixels that are not
/// 8-bit): transform() reports the route actually taken.
DecodeRoute choose_decode_route(const ImageInfo& info, const RenderPlan& plan);

/// Where an embedded profile (other than sRGB) becomes sRGB: in libvips' thumbnail, in step
/// with the decode on its worker threads (the lowest latency for a render alone), or, when
/// renders share the cores, imgline's own conversion after the resize with a transform kept
/// per profile (libvips 8.14 builds a new lcms transform per render, ~5 % of its CPU).
enum class ColourStep { None, InThumbnail, AfterResize };

ColourStep choose_colour_step(const ImageInfo& info, const RenderPlan& plan);

// The geometry the routes share (pure).

/// The original's size once upright (EXIF orientations 5-8 swap the sides).
Size upright_size(const ImageInfo& info);

/// Whether the EXIF orientation turns the stored image on its side.
bool turned_on_its_side(const ImageInfo& info);

/// The largest JPEG decode shrink (8, 4, 2) that leaves the decoded image at least
/// plan.decode_margin times the size the plan needs; 1 when none does.
int jpeg_shrink_for(const ImageInfo& info, const RenderPlan& plan);

/// The integer box shrink for the PNG fast path (1: full size), at most `largest`.
int box_shrink_for(const ImageInfo& info, const RenderPlan& plan, int largest);

/// The upright size a fitted (or padded) plan gives the image, worked out on the original's
/// upright size (a shrunk decode's rounded size can be a pixel off its proportions).
Size fitted_size(const ImageInfo& info, const RenderPlan& plan);

/// The upright size a render in memory resizes to, and the part of it the plan keeps: all of
/// it for fit and pad; for a fill, the box cut from the middle of the covering resize (as
/// libvips' centre crop cuts it).
struct InMemoryResize {
    Size size;
    Region keep;
};

/// Nullopt for a fill by attention, whose crop is libvips' own.
std::optional<InMemoryResize> in_memory_resize_for(const ImageInfo& info, const RenderPlan& plan);

}  // namespace imgline::pipeline
