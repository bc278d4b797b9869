#pragma once

#include "common/expected.h"

#include <map>
#include <string>
#include <string_view>

namespace imgline::server {

/// The percent-decoded parameters of a query string. Strict: a key outside `allowed` or given
/// twice is a 400 that names it.
Expected<std::map<std::string, std::string, std::less<>>> parse_query(
    std::string_view query, std::initializer_list<std::string_view> allowed);

}  // namespace imgline::server
