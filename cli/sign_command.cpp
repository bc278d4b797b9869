#include "cli/sign_command.h"

#include "cdn/signed_url.h"
#include "cdn/transform_path.h"
#include "cli/config_problems.h"
#include "common/unix_time.h"
#include "config/load_config.h"

#include <iostream>

namespace imgline::cli {

int run_sign(const SignArgs& args) {
    const auto loaded =
        config::load_checked_config(args.config_path, config::current_environment());
    if (report_config_problems(loaded.problems)) {
        return 2;
    }
    const auto keys = cdn::parse_signing_keys(loaded.config.signing.keys);
    if (keys.empty()) {
        std::cerr << "imgline: no signing key is configured ([signing] keys)\n";
        return 2;
    }
    const cdn::SigningKey* key = &keys.front();
    if (args.key_id) {
        key = nullptr;
        for (const auto& candidate : keys) {
            if (candidate.id == *args.key_id) {
                key = &candidate;
            }
        }
        if (key == nullptr) {
            std::cerr << "imgline: no signing key has the id '" << *args.key_id << "'\n";
            return 2;
        }
    }
    std::string path = args.path;
    while (path.starts_with('/')) {
        path.erase(0, 1);
    }
    if (args.expires_in) {
        path = "exp:" + std::to_string(unix_seconds_now() + *args.expires_in) + "/" + path;
    }
    // Refuse to sign what the server would refuse to serve.
    if (auto parsed = cdn::parse_transform_path(path); !parsed) {
        std::cerr << "imgline: " << parsed.error().public_message << "\n";
        return 2;
    }
    std::string base = args.base_url.value_or(loaded.config.server.public_base_url);
    if (base.empty()) {
        base = "http://127.0.0.1:8080";
    }
    while (base.ends_with('/')) {
        base.pop_back();
    }
    std::cout << base << "/t/" << cdn::sign_path("/" + path, *key) << "/" << path << "\n";
    return 0;
}

}  // namespace imgline::cli
