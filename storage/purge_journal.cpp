#include "storage/purge_journal.h"

#include <atomic>
#include <chrono>
#include <cstdio>

namespace imgline::storage {

std::string purge_entry_name(std::string_view tag) {
    // Strictly increasing in this process even when the clock is not: a restart continues from
    // the wall clock, so later entries sort after earlier ones.
    static std::atomic<std::uint64_t> last{0};
    const auto now =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    std::uint64_t seen = last.load();
    std::uint64_t next = 0;
    do {
        next = std::max(now, seen + 1);
    } while (!last.compare_exchange_weak(seen, next));
    char digits[24];
    std::snprintf(digits, sizeof(digits), "%020llu", static_cast<unsigned long long>(next));
    std::string name = digits;
    if (!tag.empty()) {
        name += "-";
        name += tag;
    }
    return name + ".purge";
}

std::string purge_text(const std::vector<std::string>& paths) {
    std::string text;
    for (const auto& path : paths) {
        text += path + "\n";
    }
    return text;
}

std::vector<std::string> purge_paths(std::string_view text) {
    std::vector<std::string> paths;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto end = std::min(text.find('\n', at), text.size());
        if (end > at) {
            paths.emplace_back(text.substr(at, end - at));
        }
        at = end + 1;
    }
    return paths;
}

}  // namespace imgline::storage
