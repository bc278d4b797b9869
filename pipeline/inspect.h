#pragma once

#include "common/deadline.h"
#include "common/expected.h"
#include "config/config.h"
#include "pipeline/probe.h"

#include <string_view>

namespace imgline::pipeline {

/// What ingest runs on a new original: probe (type allow-list and limits, from the header),
/// then one full decode of the first frame that fails on any decoder error
/// (fail_on=error; WebP through libwebp itself, which reports the broken streams libvips
/// 8.14 lets through as black pixels). A file that passes renders without surprises later.
/// 415 UnsupportedMediaType, 422 TooManyPixels / CorruptImage, 503 Timeout.
Expected<ImageInfo> inspect(std::string_view bytes,
                            const config::LimitsConfig& limits,
                            const Deadline& deadline);

}  // namespace imgline::pipeline
