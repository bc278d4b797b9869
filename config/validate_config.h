#pragma once

#include "config/config.h"
#include "config/problem.h"

namespace imgline::config {

/// Every problem with the values of `config`, all at once (an empty list means it is usable).
/// Pure: reads no files. `imgline serve` prints them all and exits 2.
ConfigProblems validate(const Config& config);

/// Names that may appear in URLs and logs: 1..64 of [a-z0-9_-], starting with a letter or
/// digit.
bool is_valid_name(std::string_view name);

}  // namespace imgline::config
