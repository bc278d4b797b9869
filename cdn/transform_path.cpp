#include "cdn/transform_path.h"

#include <vector>

namespace imgline::cdn {

Expected<TransformPath> parse_transform_path(std::string_view rest) {
    const auto slash = rest.rfind('/');
    if (slash == std::string_view::npos || slash == 0) {
        return fail(ErrorCode::BadRequest, "a transform needs options and {id}.{format}");
    }
    std::vector<std::string> segments;
    for (std::size_t at = 0; at < slash;) {
        const auto end = std::min(rest.find('/', at), slash);
        segments.emplace_back(rest.substr(at, end - at));
        at = end + 1;
    }
    auto options = parse_transform_options(segments);
    if (!options) {
        return tl::unexpected(options.error());
    }
    TransformPath path;
    path.options = std::move(*options);
    const std::string_view file = rest.substr(slash + 1);
    const auto dot = file.rfind('.');
    path.id = std::string(file.substr(0, dot));
    if (dot != std::string_view::npos) {
        path.extension = std::string(file.substr(dot + 1));
    }
    return path;
}

}  // namespace imgline::cdn
