#pragma once

#include "common/expected.h"

#include <chrono>
#include <functional>
#include <string>

namespace imgline::app {

/// How the application reaches edges over HTTP without knowing the HTTP stack: GET `url`
/// (http:// only) within `timeout`, and give the response status, or an error saying why there
/// is none. The server room provides it (server::http_get); tests may give their own.
using HttpGet =
    std::function<Expected<int>(const std::string& url, std::chrono::milliseconds timeout)>;

}  // namespace imgline::app
