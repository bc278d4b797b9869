#include "bench/ssim.h"

namespace imgline::bench {

using vips::VImage;

namespace {

VImage luminance(const VImage& image) {
    VImage flat = image.has_alpha() ? image.flatten() : image;
    return flat.colourspace(VIPS_INTERPRETATION_B_W).extract_band(0).cast(VIPS_FORMAT_DOUBLE);
}

VImage blur(const VImage& image) {
    return image.gaussblur(1.5, VImage::option()->set("precision", VIPS_PRECISION_FLOAT));
}

}  // namespace

double ssim(const VImage& reference, const VImage& candidate) {
    constexpr double kC1 = (0.01 * 255) * (0.01 * 255);
    constexpr double kC2 = (0.03 * 255) * (0.03 * 255);
    const VImage x = luminance(reference).copy_memory();
    const VImage y = luminance(candidate).copy_memory();
    const VImage mu_x = blur(x);
    const VImage mu_y = blur(y);
    const VImage var_x = blur(x * x) - mu_x * mu_x;
    const VImage var_y = blur(y * y) - mu_y * mu_y;
    const VImage cov = blur(x * y) - mu_x * mu_y;
    const VImage numerator = (mu_x * mu_y * 2 + kC1) * (cov * 2 + kC2);
    const VImage denominator = (mu_x * mu_x + mu_y * mu_y + kC1) * (var_x + var_y + kC2);
    return (numerator / denominator).avg();
}

}  // namespace imgline::bench
