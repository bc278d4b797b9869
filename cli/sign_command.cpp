#include "cli/sign_command.h"

#include "cdn/signed_url.h"
#include "cdn/transform_path.h"
#include "cli/configuration.h"
#include "common/unix_time.h"
#include "config/load_config.h"

#include <iostream>

#include <CLI/CLI.hpp>

namespace imgline::cli {

int run_sign(const SignArgs& args) {
    const auto loaded = load_configuration(args.config_path);
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

Command add_sign_command(CLI::App& app) {
    auto args = std::make_shared<SignArgs>();
    auto* command =
        app.add_subcommand("sign",
                           "Print the signed URL of an ad-hoc transform, e.g.\n"
                           "  imgline sign 'w:800/h:600/fit:fill/<id>.webp' --expires-in 86400");
    command->add_option("path", args->path, "Options and <id>.<format>")->required();
    command->add_option("--key-id", args->key_id, "Signing key to use (default: the first)");
    command->add_option("--expires-in", args->expires_in,
                        "Seconds until the URL stops working (adds exp:)");
    command->add_option("--base", args->base_url,
                        "Base URL (default: server.public_base_url or http://127.0.0.1:8080)");
    add_config_option(*command, args->config_path);
    return {command, [args] { return run_sign(*args); }};
}

}  // namespace imgline::cli
