#pragma once

#include "pipeline/brand_judge.h"

namespace imgline::pipeline {

/// Measures an image (already probed) for `role`'s rules of `brand` and judges it: the whole
/// check an upload, /v1/check and `imgline check` run. A role without rules is not measured
/// beyond its header. Errors as measure_brand().
Expected<BrandReport> check_brand(std::string_view bytes,
                                  const ImageInfo& info,
                                  const config::BrandConfig& brand,
                                  std::string_view role,
                                  const Deadline& deadline);

}  // namespace imgline::pipeline
