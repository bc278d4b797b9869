#pragma once

#include "common/expected.h"
#include "config/config.h"

#include <string>
#include <vector>

namespace imgline::cdn {

/// Where and how one edge runs, beyond its [[edges]] entry.
struct EdgeSetup {
    /// The origins as host:port for proxy_pass ("127.0.0.1:8080"); with several, nginx spreads
    /// fetches over them and passes a fetch to the next when one is down.
    std::vector<std::string> origins;
    /// Folder for the edge's cache, temporary files, logs and pid (nginx -p).
    std::string directory;
    /// Address the edge listens on ("127.0.0.2:8081", "0.0.0.0:80").
    std::string listen;
    /// Addresses or CIDRs allowed to purge (the origins' addresses as the edge sees them).
    std::vector<std::string> purge_from{"127.0.0.1"};
    /// Largest cache on disk, as nginx writes sizes ("1g", "500m").
    std::string cache_size = "1g";
};

/// A complete, standalone nginx configuration for `edge` (run `nginx -p DIR -c DIR/nginx.conf`):
/// a proxy_cache with its own zone keyed on the path alone (signature parameters never split
/// the cache), proxy_cache_lock (one origin fetch per missing image), stale answers while the
/// origin is down or a copy is refreshed in the background, revalidation with the origin's
/// ETags, `secure_link` checks for url_auth = "nginx-secure-link", a /purge/ location open
/// only to the `purge_from` addresses that refetches a path past the cache and stores the origin's
/// answer over the cached copy (stock nginx: Debian's cache-purge module 2.3 crashes nginx 1.22 on
/// every purge), and /healthz for the origin's health checks. Pure text; BadRequest for an
/// edge whose setup cannot be expressed.
Expected<std::string> nginx_edge_config(const config::EdgeConfig& edge, const EdgeSetup& setup);

}  // namespace imgline::cdn
