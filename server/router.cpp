#include "server/router.h"

#include <algorithm>

namespace imgline::server {
namespace {

bool serves(const Route& route, Method method) {
    const auto& methods = route.methods;
    if (std::find(methods.begin(), methods.end(), method) != methods.end()) {
        return true;
    }
    return method == Method::Head &&
           std::find(methods.begin(), methods.end(), Method::Get) != methods.end();
}

void add_allowed(const Route& route, std::vector<Method>& allowed) {
    for (Method method : route.methods) {
        if (std::find(allowed.begin(), allowed.end(), method) == allowed.end()) {
            allowed.push_back(method);
        }
        if (method == Method::Get &&
            std::find(allowed.begin(), allowed.end(), Method::Head) == allowed.end()) {
            allowed.push_back(Method::Head);
        }
    }
}

}  // namespace

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> segments;
    if (path.starts_with('/')) {
        path.remove_prefix(1);
    }
    if (path.empty()) {
        return segments;
    }
    while (true) {
        const auto slash = path.find('/');
        segments.emplace_back(path.substr(0, slash));
        if (slash == std::string_view::npos) {
            break;
        }
        path.remove_prefix(slash + 1);
    }
    return segments;
}

std::string allow_header(const std::vector<Method>& methods) {
    std::string out;
    for (Method method : methods) {
        out += (out.empty() ? "" : ", ") + std::string(method_name(method));
    }
    return out;
}

Router::Router(std::vector<Route> routes) : routes_(std::move(routes)) {
    compiled_.reserve(routes_.size());
    for (const auto& route : routes_) {
        compiled_.push_back(compile(route.pattern));
    }
}

Router::Compiled Router::compile(std::string_view pattern) {
    Compiled compiled;
    for (auto& part : split_path(pattern)) {
        const bool param = part.size() > 2 && part.front() == '{' && part.back() == '}';
        std::string name = param ? part.substr(1, part.size() - 2) : part;
        compiled.ends_with_rest = param && name.ends_with("...");
        if (compiled.ends_with_rest) {
            name.resize(name.size() - 3);
        }
        compiled.is_param.push_back(param);
        compiled.parts.push_back(std::move(name));
    }
    return compiled;
}

bool Router::matches(const Compiled& compiled,
                     const std::vector<std::string>& segments,
                     RouteParams* params) {
    const std::size_t fixed = compiled.parts.size();
    if (compiled.ends_with_rest ? segments.size() < fixed : segments.size() != fixed) {
        return false;
    }
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::size_t part = std::min(i, fixed - 1);
        if (compiled.is_param[part] ? segments[i].empty() : segments[i] != compiled.parts[part]) {
            return false;
        }
    }
    if (params != nullptr) {
        for (std::size_t i = 0; i < fixed; ++i) {
            if (!compiled.is_param[i]) {
                continue;
            }
            std::string value = segments[i];
            const bool rest = compiled.ends_with_rest && i + 1 == fixed;
            for (std::size_t j = i + 1; rest && j < segments.size(); ++j) {
                value += "/" + segments[j];
            }
            params->add(compiled.parts[i], std::move(value));
        }
    }
    return true;
}

std::variant<RouteMatch, RouteMiss> Router::match(Method method,
                                                  const std::vector<std::string>& segments) const {
    RouteMiss miss;
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        if (!matches(compiled_[i], segments, nullptr)) {
            continue;
        }
        if (serves(routes_[i], method)) {
            RouteMatch found{&routes_[i], {}};
            matches(compiled_[i], segments, &found.params);
            return found;
        }
        add_allowed(routes_[i], miss.allowed);
    }
    return miss;
}

KeyCheck any_party(const app::Authenticator& auth) {
    return [&auth](std::string_view authorization) { return auth.authenticate(authorization); };
}

KeyCheck admins_only(const app::Authenticator& auth) {
    return [&auth](std::string_view authorization) -> Expected<app::Party> {
        auto party = auth.authenticate(authorization);
        if (party && !party->is_admin()) {
            return fail(ErrorCode::Forbidden, "only an admin key may do this");
        }
        return party;
    };
}

}  // namespace imgline::server
