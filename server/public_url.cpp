#include "server/public_url.h"

#include <algorithm>

namespace imgline::server {

std::string public_base_url(const config::Config& config, const Request& request) {
    if (!config.server.public_base_url.empty()) {
        std::string base = config.server.public_base_url;
        while (base.ends_with('/')) {
            base.pop_back();
        }
        return base;
    }
    if (!request.party) {
        // A public answer (a /go redirect, an embed) may be kept by shared caches: it never
        // carries a name the client wrote, only the address it reached. Set
        // server.public_base_url to hand out a real name.
        return "http://" + request.local_address;
    }
    // The caller's own answer (no-store): the name it used to reach us.
    const std::string_view host = request.header(http::field::host);
    const bool sane =
        !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' ||
                   c == ':' || c == '[' || c == ']';
        });
    return "http://" + std::string(sane ? host : "localhost");
}

}  // namespace imgline::server
