#include "server/handlers/console_handler.h"

#include "common/sha256.h"
#include "server/request.h"
#include "server/web_assets.h"

#include <map>
#include <memory>
#include <string>

namespace imgline::server {
namespace {

constexpr std::string_view kPage = "index.html";
constexpr std::string_view kVersionMark = "{{version}}";

std::string_view type_of(std::string_view name) {
    if (name.ends_with(".html")) {
        return "text/html; charset=utf-8";
    }
    if (name.ends_with(".css")) {
        return "text/css; charset=utf-8";
    }
    if (name.ends_with(".js")) {
        return "text/javascript; charset=utf-8";
    }
    if (name.ends_with(".svg")) {
        return "image/svg+xml";
    }
    return "application/octet-stream";
}

// The console's files as served: the page with the assets' version written in, the version
// (a hash of every file, so any change makes new asset URLs) and the files by name.
struct Console {
    std::string version;
    std::string page;
    std::map<std::string, std::shared_ptr<const std::string>, std::less<>> files;
};

const Console& console() {
    static const Console built = [] {
        Console made;
        std::string all;
        for (const auto& asset : web_assets()) {
            made.files.emplace(std::string(asset.name),
                               std::make_shared<const std::string>(asset.bytes));
            all += std::string(asset.name) + '\0' + std::string(asset.bytes) + '\0';
        }
        made.version = sha256_hex(all).substr(0, 16);
        if (const auto page = made.files.find(kPage); page != made.files.end()) {
            made.page = *page->second;
            for (auto at = made.page.find(kVersionMark); at != std::string::npos;
                 at = made.page.find(kVersionMark, at)) {
                made.page.replace(at, kVersionMark.size(), made.version);
            }
        }
        return made;
    }();
    return built;
}

Reply& secured(Reply& reply) {
    return reply
        .with_header("Content-Security-Policy",
                     "default-src 'self'; img-src 'self' blob: data:; script-src 'self'; "
                     "style-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                     "form-action 'self'; frame-ancestors 'none'")
        .with_header("X-Content-Type-Options", "nosniff")
        .with_header("X-Frame-Options", "DENY")
        .with_header("Referrer-Policy", "no-referrer");
}

Expected<Reply> page(const Request&) {
    Reply reply = Reply::bytes(200, std::string(type_of(kPage)), console().page);
    reply.with_header("Cache-Control", "no-cache");
    return secured(reply);
}

Expected<Reply> asset(const Request& request) {
    const std::string_view name = request.params.get("file");
    const auto& files = console().files;
    const auto found = files.find(name);
    if (found == files.end() || name == kPage) {
        return fail(ErrorCode::NotFound, "no such file in the console");
    }
    Reply reply = Reply::shared(200, std::string(type_of(name)), found->second);
    // An old version's URL still gets today's file, but only briefly cached.
    reply.with_header("Cache-Control", request.params.get("version") == console().version
                                           ? "public, max-age=31536000, immutable"
                                           : "no-cache");
    return secured(reply);
}

}  // namespace

std::vector<Route> console_routes() {
    auto to_console = [](const Request&) -> Expected<Reply> {
        Reply reply = Reply::bytes(302, "", "");
        reply.with_header("Location", "/console").with_header("Cache-Control", "no-cache");
        return reply;
    };
    return {
        Route{{Method::Get}, "/", "console_redirect", to_console, Execution::Inline, std::nullopt},
        Route{{Method::Get}, "/console", "console", page, Execution::Inline, std::nullopt},
        Route{{Method::Get},
              "/console/assets/{version}/{file}",
              "console_asset",
              asset,
              Execution::Inline,
              std::nullopt},
    };
}

}  // namespace imgline::server
