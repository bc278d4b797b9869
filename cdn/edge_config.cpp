#include "cdn/edge_config.h"

#include <algorithm>

namespace imgline::cdn {
namespace {

// Only characters nginx reads literally in the places values go (paths, addresses, sizes).
bool plain(std::string_view value) {
    return !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == ':' ||
               c == '/' || c == '-' || c == '_' || c == '[' || c == ']';
    });
}

std::string auth_block(const config::EdgeConfig& edge) {
    if (edge.url_auth == config::UrlAuth::NginxSecureLink) {
        return "            # Expiring links signed by the origin (url_auth = nginx-secure-link).\n"
               "            secure_link $arg_md5,$arg_expires;\n"
               "            secure_link_md5 \"$secure_link_expires$uri " +
               edge.url_auth_secret +
               "\";\n"
               "            if ($secure_link = \"\") { return 403; }\n"
               "            if ($secure_link = \"0\") { return 410; }\n";
    }
    if (edge.url_auth == config::UrlAuth::AlibabaA) {
        return "            # URLs carry Alibaba Cloud CDN type A auth_key signatures; stock "
               "nginx\n"
               "            # cannot check them (a CDN with type A auth does), so this edge "
               "serves\n"
               "            # them unchecked.\n";
    }
    return "";
}

// The one path an edge serves and purges, /i/{id}/{preset}[~{version}][.{ext}], as a regular
// expression over nginx's decoded $uri: a 64-hex id, a preset name, a version, an extension. The
// captures are all the edge forwards, so nothing a viewer writes (%0d%0a, spaces, "..") can reach
// the request line the edge sends to the origin.
constexpr std::string_view kRenditionPath =
    "/i/([0-9a-f]{64})/([a-z0-9][a-z0-9_-]{0,63})((?:~[0-9a-f]{8})?)((?:[.][a-z0-9]{2,5})?)";
constexpr std::string_view kRenditionForward = "/i/$1/$2$3$4";

// A product slot's path, /p/{owner}/{sku}/{slot}/{preset}[.{ext}], the same way: a party name,
// a SKU, a slot name, a preset, an extension.
constexpr std::string_view kSlotPath =
    "/p/([a-z0-9][a-z0-9_-]{0,63})/([A-Za-z0-9._-]{1,64})/([a-z0-9-]{1,16})/"
    "([a-z0-9][a-z0-9_-]{0,63})((?:[.][a-z0-9]{2,5})?)";
constexpr std::string_view kSlotForward = "/p/$1/$2/$3/$4$5";

// Fetches `forward` from the origin through this edge's cache `zone`, keyed by it.
std::string proxy_lines(std::string_view forward, const std::string& zone) {
    std::string text;
    text += "            proxy_pass http://imgline_origin" + std::string(forward) + ";\n";
    text += "            proxy_http_version 1.1;\n";
    text += "            proxy_set_header Connection \"\";\n";
    text += "            proxy_cache " + zone + ";\n";
    text += "            proxy_cache_key " + std::string(forward) + ";\n";
    return text;
}

// Purges from the origin only: /purge<path> fetches the path from the origin past the cache
// and stores the answer under the same key.
std::string purge_location(std::string_view path,
                           std::string_view forward,
                           const std::string& zone,
                           const EdgeSetup& setup) {
    std::string text = "        location ~ \"^/purge" + std::string(path) + "$\" {\n";
    for (const auto& address : setup.purge_from) {
        text += "            allow " + address + ";\n";
    }
    text += "            deny all;\n";
    text += proxy_lines(forward, zone);
    text += "            proxy_cache_bypass 1;\n";
    text += "            proxy_cache_valid 404 410 1m;\n";
    text += "        }\n\n";
    return text;
}

// What viewers fetch: the signature check if any, the origin through the cache, one origin
// fetch per missing image however many viewers ask, and the cached copy while the origin is down.
std::string viewer_location(std::string_view path,
                            std::string_view forward,
                            const std::string& zone,
                            const config::EdgeConfig& edge) {
    std::string text = "        location ~ \"^" + std::string(path) + "$\" {\n";
    text += auth_block(edge);
    text += proxy_lines(forward, zone);
    text += "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n";
    text += "            proxy_cache_lock on;\n";
    text += "            proxy_cache_lock_timeout 15s;\n";
    text += "            proxy_cache_revalidate on;\n";
    text += "            proxy_cache_valid 404 410 1m;\n";
    text += "            add_header X-Cache $upstream_cache_status always;\n";
    return text;
}

}  // namespace

Expected<std::string> nginx_edge_config(const config::EdgeConfig& edge, const EdgeSetup& setup) {
    std::vector<std::pair<std::string_view, std::string_view>> values{
        {"directory", setup.directory},
        {"listen", setup.listen},
        {"cache_size", setup.cache_size},
        {"edge name", edge.name}};
    if (setup.origins.empty() || setup.purge_from.empty()) {
        return fail(ErrorCode::BadRequest,
                    "an edge needs an origin and an address to take purges from");
    }
    for (const auto& origin : setup.origins) {
        values.emplace_back("origin", origin);
    }
    for (const auto& address : setup.purge_from) {
        values.emplace_back("purge_from", address);
    }
    for (const auto& [what, value] : values) {
        if (!plain(value)) {
            return fail(ErrorCode::BadRequest,
                        std::string(what) + " '" + std::string(value) +
                            "' is empty or holds characters nginx would not read literally");
        }
    }
    if (edge.url_auth_secret.find_first_of("\"\\$;\n") != std::string::npos) {
        return fail(ErrorCode::BadRequest,
                    "the edge's url_auth_secret may not hold \", \\, $, ; or newlines");
    }
    const std::string& dir = setup.directory;
    const std::string zone = "imgline_" + edge.name;
    std::string text;
    text += "# imgline edge \"" + edge.name + "\" (carrier " + edge.carrier +
            "), written by `imgline edge-config --edge " + edge.name + "`.\n";
    text += "# Run: nginx -p " + dir + " -c " + dir + "/nginx.conf\n";
    text += "worker_processes auto;\n";
    text += "pid " + dir + "/nginx.pid;\n";
    text += "error_log " + dir + "/error.log warn;\n\n";
    text += "events {\n    worker_connections 1024;\n}\n\n";
    text += "http {\n";
    text +=
        "    log_format imgline '$remote_addr [$time_iso8601] \"$request\" $status "
        "$body_bytes_sent cache=$upstream_cache_status';\n";
    text += "    access_log " + dir + "/access.log imgline;\n";
    text += "    client_body_temp_path " + dir + "/tmp/body;\n";
    text += "    proxy_temp_path " + dir + "/tmp/proxy;\n";
    text += "    fastcgi_temp_path " + dir + "/tmp/fastcgi;\n";
    text += "    uwsgi_temp_path " + dir + "/tmp/uwsgi;\n";
    text += "    scgi_temp_path " + dir + "/tmp/scgi;\n";
    text += "    server_tokens off;\n\n";
    text += "    # This edge's own cache: renditions are immutable, so they may stay long.\n";
    text += "    proxy_cache_path " + dir + "/cache levels=1:2 keys_zone=" + zone +
            ":10m max_size=" + setup.cache_size + " inactive=30d use_temp_path=off;\n\n";
    text += "    upstream imgline_origin {\n";
    for (const auto& origin : setup.origins) {
        text += "        server " + origin + ";\n";
    }
    text += "        keepalive 16;\n    }\n\n";
    text += "    server {\n";
    text += "        listen " + setup.listen + ";\n\n";
    text +=
        "        location = /healthz {\n            access_log off;\n"
        "            default_type text/plain;\n            return 200 \"ok\\n\";\n"
        "        }\n\n";
    text +=
        "        # Purges from the origin only: /purge/i/{id}/{preset}.{ext} fetches that path\n";
    text += "        # from the origin past the cache and stores the answer under the same key,\n";
    text += "        # so a deleted image's copy becomes its 410 (stock nginx, no module).\n";
    text += purge_location(kRenditionPath, kRenditionForward, zone, setup);
    text += "        # The same for product slot URLs, when a slot is pointed at another photo.\n";
    text += purge_location(kSlotPath, kSlotForward, zone, setup);
    text +=
        "        # Renditions only, in their exact form; anything else under /i/ is a 404 here.\n";
    text +=
        "        # Immutable: kept as long as the origin says (a year); the path alone is the\n";
    text += "        # key, so signature parameters never split the cache.\n";
    text += viewer_location(kRenditionPath, kRenditionForward, zone, edge);
    text += "            # Serve the cached copy while the origin is down or it is refreshed.\n";
    text +=
        "            proxy_cache_use_stale error timeout updating http_500 http_502 "
        "http_503 http_504;\n";
    text += "            proxy_cache_background_update on;\n";
    text += "        }\n\n";
    text +=
        "        # Product slot URLs: what a slot shows may change, so each answer is kept for\n";
    text += "        # the origin's max-age (products.slot_max_age) and then asked again (a 304\n";
    text += "        # while the slot is unchanged). Never served stale while refreshing, so no\n";
    text += "        # viewer sees an old photo past that bound; only while the origin is down.\n";
    text += viewer_location(kSlotPath, kSlotForward, zone, edge);
    text +=
        "            proxy_cache_use_stale error timeout http_500 http_502 http_503 http_504;\n";
    text += "        }\n\n";
    text += "        location / {\n            return 404;\n        }\n";
    text += "    }\n}\n";
    return text;
}

}  // namespace imgline::cdn
