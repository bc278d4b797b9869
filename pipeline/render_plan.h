#pragma once

#include "common/expected.h"
#include "config/config.h"
#include "config/units.h"
#include "pipeline/image_format.h"

#include <cstdint>
#include <optional>

namespace imgline::pipeline {

enum class Fit { Fit, Fill, Pad };
enum class Gravity { Centre, Attention };

/// The byte budget of one rendition and the quality range the search may use.
struct Budget {
    std::uint64_t max_bytes = 200 * 1024;
    int quality_min = 50;
    int quality_max = 90;
};

/// A box inside an image, as shares (0..1) of the image's width and height.
struct ShareBox {
    double left = 0.0;
    double top = 0.0;
    double width = 1.0;
    double height = 1.0;
};

/// A brand's mechanical fixes, applied to the upright image before the plan's geometry.
struct BrandFix {
    /// Crop to the product's box, then leave `margin` (share of each side) around it.
    std::optional<ShareBox> trim;
    double margin = 0.05;
    /// Pad to this width/height ratio on the plan's background.
    std::optional<double> aspect;
    /// Flatten transparency onto the background even for formats that keep alpha.
    bool flatten = false;

    bool reshapes() const {
        return trim.has_value() || aspect.has_value();
    }
};

/// Everything a render needs to know, resolved from a preset and an output format. Pure data.
struct RenderPlan {
    int width = 800;  // the box
    int height = 800;
    Fit fit = Fit::Fit;
    Gravity gravity = Gravity::Centre;
    config::Rgb background{255, 255, 255};
    ImageFormat format = ImageFormat::Jpeg;
    Budget budget;
    bool upscale = false;
    bool serve_unmet_budget = true;
    BrandFix fix;
    /// A light sharpen after a large reduction (off for mezzanines).
    bool sharpen = true;
    /// When rendering from a mezzanine: the original's long side, so the reduction that decides
    /// the sharpen is the original's, as if rendered from it. 0: the source's own.
    int original_long_side = 0;
    /// JPEG sources are decoded at 1/2, 1/4 or 1/8 scale (in the DCT, before any pixel exists)
    /// while the decoded image stays at least this many times the size the plan needs; the
    /// resampler does the rest. 1.2 is close to sharp's and imgproxy's choice; mezzanines ask
    /// for 2, libvips' own cautious margin, because every later render starts from them.
    double decode_margin = 1.2;
    /// Whether this render shares the cores with others (pipeline::RenderThreads, read once as
    /// the render starts): CPU per render then matters more than one render's latency, and
    /// embedded profiles are converted after the resize (choose_colour_step).
    bool shares_cores = false;
};

/// The plan for `preset` in `format` (pure). Fails with BadRequest when the preset does not
/// offer that format or the format cannot be written.
Expected<RenderPlan> make_plan(const config::PresetConfig& preset, ImageFormat format);

struct Size {
    int width = 0;
    int height = 0;

    bool operator==(const Size&) const = default;
};

/// The size a render produces for an input of `input` pixels (after EXIF rotation): fit is
/// inside the box keeping the aspect, fill and pad are the box itself; without upscale a fit or
/// fill never grows the image (a fill then crops to what is there), and pad still pads to the
/// box. Pure; rounding may differ from libvips by one pixel on the derived side.
Size output_size(Size input, const RenderPlan& plan);

/// The size a fill resizes `input` to before it crops to the box: the box covered, the aspect
/// kept (never grown without upscale). Pure.
Size cover_size(Size input, const RenderPlan& plan);

}  // namespace imgline::pipeline
