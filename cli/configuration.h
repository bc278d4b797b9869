#pragma once

#include "config/load_config.h"
#include "config/problem.h"

#include <functional>
#include <optional>
#include <string>

namespace imgline::cli {

/// The carrier lists that ship with imgline: <binary's folder>/../share/imgline/carriers, which
/// is where the build tree (build/<preset>/share) and an installed package (/usr/share) keep
/// them. Empty when there are none there.
std::string bundled_carrier_lists();

/// What every command reads its configuration with: the built-in defaults, the file at `path`,
/// IMGLINE_* variables, then `adjust` (the command's own flags, which win), validated. Without a
/// carriers.data_dir from any of those, the bundled carrier lists are used.
config::LoadResult load_configuration(const std::optional<std::string>& path,
                                      const std::function<void(config::Config&)>& adjust = {});

/// Prints every configuration problem to standard error, one per line with its key. True when
/// there were any (the command then exits 2).
bool report_config_problems(const config::ConfigProblems& problems);

}  // namespace imgline::cli
