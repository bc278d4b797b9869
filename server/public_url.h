#pragma once

#include "config/config.h"
#include "server/request.h"

#include <string>

namespace imgline::server {

/// The origin's base URL for links it hands out: server.public_base_url (without a trailing
/// '/'), else http://<Host header> when the header is sane, else http://localhost.
std::string public_base_url(const config::Config& config, const Request& request);

}  // namespace imgline::server
