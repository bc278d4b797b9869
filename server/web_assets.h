#pragma once

#include <span>
#include <string_view>

namespace imgline::server {

/// One file of the console (web/console/), built into the binary.
struct WebAsset {
    std::string_view name;  // "app.js"
    std::string_view bytes;
};

/// Every file of web/console/, as it was when the binary was built (cmake/embed_web.cmake).
std::span<const WebAsset> web_assets();

}  // namespace imgline::server
