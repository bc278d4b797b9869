#pragma once

#include "cdn/transform_options.h"
#include "common/expected.h"

#include <string>
#include <string_view>

namespace imgline::cdn {

/// What follows the signature of a signed transform, "{options...}/{id}.{ext}", taken apart:
/// the one grammar the /t/ route and `imgline sign` share.
struct TransformPath {
    TransformOptions options;
    std::string id;         // as written; the caller checks it against the store's ids
    std::string extension;  // as written ("webp", "jpg", ...); empty when there is no dot
};

/// Parses `rest` (without a leading '/'): 400 when there are no option segments before the
/// file, and the option errors of parse_transform_options. The id and extension are returned as
/// written, for the caller to check.
Expected<TransformPath> parse_transform_path(std::string_view rest);

}  // namespace imgline::cdn
