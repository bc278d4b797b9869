#pragma once

#include "config/config.h"
#include "config/problem.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace imgline::config {

/// IMGLINE_* variables, by name. `current_environment()` reads the process's.
using Environment = std::map<std::string, std::string, std::less<>>;

Environment current_environment();

/// A loaded configuration and everything wrong with what was read. Problems here are about
/// reading (syntax, unknown keys, wrong types); `validate()` adds the ones about values.
struct LoadResult {
    Config config;
    ConfigProblems problems;
};

/// The built-in default, then the TOML file at `path` (if given), then IMGLINE_* variables:
///   IMGLINE_LISTEN               server.listen
///   IMGLINE_DATA_DIR             storage.data_dir
///   IMGLINE_PARTIES              parties as "kind:name:KEY,kind:name:KEY" (plain keys, hashed
///                                here; added to those of the file)
///   IMGLINE_<SECTION>__<KEY>     any key of [server], [limits], [storage] or [carriers],
///                                e.g. IMGLINE_SERVER__WORKER_THREADS=4
/// Command-line flags are applied after this by the caller.
LoadResult load_config(const std::optional<std::string>& path, const Environment& env);

/// The same from TOML text (`source` names it in problems).
LoadResult load_config_text(std::string_view toml_text,
                            std::string_view source,
                            const Environment& env);

/// load_config, then `adjust` (command-line flags, which win), then validate(): every reading
/// and value problem in one list.
LoadResult load_checked_config(const std::optional<std::string>& path,
                               const Environment& env,
                               const std::function<void(Config&)>& adjust = {});

/// The effective configuration as TOML, the way `imgline serve --print-config` shows it. Key
/// hashes are shortened; nothing secret is printed.
std::string print_config(const Config& config);

}  // namespace imgline::config
