#pragma once

#include <string_view>

namespace imgline::server {

/// The HTTP methods routes are declared with; anything else is Other.
enum class Method { Get, Head, Post, Put, Delete, Options, Patch, Other };

/// "GET" → Get, exactly as written (methods are case-sensitive); Other for the rest. Pure.
Method parse_method(std::string_view text);
std::string_view method_name(Method method);

}  // namespace imgline::server
