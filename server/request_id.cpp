#include "server/request_id.h"

#include <algorithm>
#include <cstdint>
#include <random>

namespace imgline::server {
namespace {

bool is_token(std::string_view text) {
    return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

std::string random_id() {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id(32, '0');
    for (std::size_t half = 0; half < 2; ++half) {
        std::uint64_t bits = engine();
        for (std::size_t i = 0; i < 16; ++i) {
            id[half * 16 + i] = kHex[bits & 0x0f];
            bits >>= 4;
        }
    }
    return id;
}

}  // namespace

std::string request_id_for(std::string_view incoming) {
    return is_token(incoming) ? std::string(incoming) : random_id();
}

}  // namespace imgline::server
