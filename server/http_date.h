#pragma once

#include <cstdint>
#include <string>

namespace imgline::server {

/// "Thu, 27 Nov 2026 00:40:00 GMT" (RFC 9110 IMF-fixdate) for seconds since the epoch.
std::string http_date(std::int64_t seconds);

}  // namespace imgline::server
