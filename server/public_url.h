#pragma once

#include "config/config.h"
#include "server/request.h"

#include <string>

namespace imgline::server {

/// The origin's base URL for links it hands out: server.public_base_url (without a trailing
/// '/'). Without it, public routes use the address the client reached (never the Host header,
/// which a client could set to poison a shared cache), and routes with a key the caller's own
/// sane Host header (else http://localhost).
std::string public_base_url(const config::Config& config, const Request& request);

}  // namespace imgline::server
