#pragma once

#include <string_view>

namespace imgline {

/// The imgline release, from the CMake project version ("0.1.0").
std::string_view version();

}  // namespace imgline
