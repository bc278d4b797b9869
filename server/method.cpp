#include "server/method.h"

#include <array>

namespace imgline::server {
namespace {

struct MethodName {
    Method method;
    std::string_view name;
};

constexpr std::array<MethodName, 7> kMethodNames{{{Method::Get, "GET"},
                                                  {Method::Head, "HEAD"},
                                                  {Method::Post, "POST"},
                                                  {Method::Put, "PUT"},
                                                  {Method::Delete, "DELETE"},
                                                  {Method::Options, "OPTIONS"},
                                                  {Method::Patch, "PATCH"}}};

}  // namespace

Method parse_method(std::string_view text) {
    for (const auto& entry : kMethodNames) {
        if (entry.name == text) {
            return entry.method;
        }
    }
    return Method::Other;
}

std::string_view method_name(Method method) {
    for (const auto& entry : kMethodNames) {
        if (entry.method == method) {
            return entry.name;
        }
    }
    return "OTHER";
}

}  // namespace imgline::server
