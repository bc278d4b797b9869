#pragma once

#include <string>
#include <string_view>

namespace imgline::server {

/// The id a request is logged and answered under: the client's X-Request-Id when it is a
/// sane token (1-64 of [A-Za-z0-9._-]), so traces join up across a CDN; otherwise a fresh
/// random 128-bit hex id.
std::string request_id_for(std::string_view incoming);

}  // namespace imgline::server
