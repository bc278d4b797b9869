#pragma once

#include "config/problem.h"

namespace imgline::cli {

/// Prints every configuration problem to standard error, one per line with its key. True when
/// there were any (the command then exits 2).
bool report_config_problems(const config::ConfigProblems& problems);

}  // namespace imgline::cli
