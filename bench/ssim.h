#pragma once

#include <vips/vips8>

namespace imgline::bench {

/// Mean SSIM (Wang et al. 2004: Gaussian window σ=1.5, K1=0.01, K2=0.03) of the luminance of
/// two images of the same size; 1.0 for identical pictures.
double ssim(const vips::VImage& reference, const vips::VImage& candidate);

}  // namespace imgline::bench
