#include "pipeline/decode_route.h"

#include <catch2/catch.hpp>

using namespace imgline::pipeline;

namespace {

ImageInfo image(ImageFormat format, int width, int height) {
    ImageInfo info;
    info.format = format;
    info.width = width;
    info.height = height;
    return info;
}

RenderPlan box(int width, int height, Fit fit, Gravity gravity = Gravity::Centre) {
    RenderPlan plan;
    plan.width = width;
    plan.height = height;
    plan.fit = fit;
    plan.gravity = gravity;
    return plan;
}

}  // namespace

TEST_CASE("the decode route follows from the probe and the plan", "[unit][pipeline][route]") {
    ImageInfo cmyk = image(ImageFormat::Jpeg, 4000, 3000);
    cmyk.is_cmyk = true;
    ImageInfo turned_png = image(ImageFormat::Png, 3000, 2000);
    turned_png.orientation = 6;
    ImageInfo cmyk_tiff_like = image(ImageFormat::Webp, 4000, 3000);
    cmyk_tiff_like.is_cmyk = true;

    struct Row {
        const char* what;
        ImageInfo info;
        RenderPlan plan;
        DecodeRoute route;
    };

    const Row rows[] = {
        {"a phone JPEG fitted", image(ImageFormat::Jpeg, 4032, 3024), box(800, 800, Fit::Fit),
         DecodeRoute::JpegInMemory},
        {"a JPEG padded", image(ImageFormat::Jpeg, 4032, 3024), box(800, 800, Fit::Pad),
         DecodeRoute::JpegInMemory},
        {"a JPEG filled at the centre", image(ImageFormat::Jpeg, 4032, 3024),
         box(300, 300, Fit::Fill), DecodeRoute::JpegInMemory},
        {"a JPEG filled by attention, shrinkable in the decoder",
         image(ImageFormat::Jpeg, 4032, 3024), box(300, 300, Fit::Fill, Gravity::Attention),
         DecodeRoute::JpegShrunk},
        {"a small JPEG filled by attention", image(ImageFormat::Jpeg, 400, 300),
         box(300, 300, Fit::Fill, Gravity::Attention), DecodeRoute::Thumbnail},
        {"CMYK, whatever the plan", cmyk, box(800, 800, Fit::Fit), DecodeRoute::Cmyk},
        {"CMYK in another container", cmyk_tiff_like, box(800, 800, Fit::Fill), DecodeRoute::Cmyk},
        {"an upright PNG", image(ImageFormat::Png, 6000, 4000), box(800, 800, Fit::Fit),
         DecodeRoute::PngFastPath},
        {"an upright PNG filled by attention", image(ImageFormat::Png, 6000, 4000),
         box(300, 300, Fit::Fill, Gravity::Attention), DecodeRoute::PngFastPath},
        {"a PNG with an EXIF orientation", turned_png, box(800, 800, Fit::Fit),
         DecodeRoute::Thumbnail},
        {"a WebP", image(ImageFormat::Webp, 2000, 2000), box(800, 800, Fit::Fit),
         DecodeRoute::Thumbnail},
        {"a HEIC", image(ImageFormat::Heif, 4032, 3024), box(800, 800, Fit::Fit),
         DecodeRoute::Thumbnail},
        {"a GIF", image(ImageFormat::Gif, 500, 500), box(200, 200, Fit::Fill),
         DecodeRoute::Thumbnail},
    };
    for (const Row& row : rows) {
        CAPTURE(row.what);
        CHECK(choose_decode_route(row.info, row.plan) == row.route);
    }
}

TEST_CASE("route names are the metric's labels", "[unit][pipeline][route]") {
    CHECK(route_name(DecodeRoute::Cmyk) == "cmyk");
    CHECK(route_name(DecodeRoute::JpegInMemory) == "jpeg-in-memory");
    CHECK(route_name(DecodeRoute::PngFastPath) == "png-fast-path");
    CHECK(route_name(DecodeRoute::JpegShrunk) == "jpeg-shrunk");
    CHECK(route_name(DecodeRoute::Thumbnail) == "thumbnail");
}

TEST_CASE("profiles become sRGB in the thumbnail alone, after the resize when the cores are shared",
          "[unit][pipeline][route]") {
    ImageInfo p3 = image(ImageFormat::Jpeg, 4032, 3024);
    p3.has_icc = true;
    p3.icc_description = "Display P3";
    RenderPlan plan = box(800, 800, Fit::Fit);
    CHECK(choose_colour_step(p3, plan) == ColourStep::InThumbnail);
    plan.shares_cores = true;
    CHECK(choose_colour_step(p3, plan) == ColourStep::AfterResize);
    ImageInfo srgb = p3;
    srgb.icc_description = "sRGB IEC61966-2.1";
    CHECK(choose_colour_step(srgb, plan) == ColourStep::None);
    ImageInfo cmyk = p3;
    cmyk.is_cmyk = true;  // converted on import, with its own profile
    CHECK(choose_colour_step(cmyk, plan) == ColourStep::None);
    CHECK(choose_colour_step(image(ImageFormat::Jpeg, 10, 10), plan) == ColourStep::None);
}

TEST_CASE("decode shrinks keep the margin the plan asks for", "[unit][pipeline][route]") {
    const ImageInfo photo = image(ImageFormat::Jpeg, 4000, 3000);
    CHECK(jpeg_shrink_for(photo, box(400, 400, Fit::Fit)) == 8);    // 500×375 ≥ 1.2 × 400×300
    CHECK(jpeg_shrink_for(photo, box(800, 800, Fit::Fit)) == 4);    // 1000×750 ≥ 1.2 × 800×600
    CHECK(jpeg_shrink_for(photo, box(1600, 1600, Fit::Fit)) == 2);  // 2000 ≥ 1.2 × 1600
    CHECK(jpeg_shrink_for(photo, box(3000, 3000, Fit::Fit)) == 1);
    RenderPlan mezzanine = box(800, 800, Fit::Fit);
    mezzanine.decode_margin = 2.0;
    CHECK(jpeg_shrink_for(photo, mezzanine) == 2);  // 4 would leave 1000 < 2 × 800
    CHECK(box_shrink_for(image(ImageFormat::Png, 6000, 4000), box(800, 800, Fit::Fit), 64) == 6);
    CHECK(box_shrink_for(image(ImageFormat::Png, 100, 100), box(800, 800, Fit::Fit), 64) == 1);
}
