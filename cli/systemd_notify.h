#pragma once

#include <string_view>

namespace imgline::cli {

/// Tells the service manager `state` (e.g. "READY=1") over $NOTIFY_SOCKET, as a Type=notify
/// systemd unit expects (sd_notify's protocol: one datagram on a Unix socket). Does nothing
/// when the variable is unset (not started by systemd); a failure is ignored.
void notify_service_manager(std::string_view state);

}  // namespace imgline::cli
