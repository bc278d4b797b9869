#pragma once

#include "cli/command.h"

#include <optional>
#include <string>

namespace imgline::cli {

/// What `imgline sign` was asked for.
struct SignArgs {
    std::string path;                        // "w:800/h:600/fit:fill/<id>.webp"
    std::optional<std::string> key_id;       // --key-id: which signing key (default: the first)
    std::optional<long long> expires_in;     // --expires-in SECONDS: add exp:<now + seconds>
    std::optional<std::string> base_url;     // --base: default server.public_base_url
    std::optional<std::string> config_path;  // --config / IMGLINE_CONFIG
};

/// Prints the signed URL of an ad-hoc transform. Exit 0, or 2 for bad options, an unknown key
/// id, or no signing key configured.
int run_sign(const SignArgs& args);

/// Registers `imgline sign` and its flags on `app`.
Command add_sign_command(CLI::App& app);

}  // namespace imgline::cli
