#include "storage/purge_journal.h"

#include "storage/durable_file.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

namespace imgline::storage {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSuffix = ".purge";

}  // namespace

PurgeJournal::PurgeJournal(std::string data_dir) : root_(std::move(data_dir) + "/purges") {
    // Sequence numbers continue from the wall clock, so entries written after a restart sort
    // after the ones before it.
    sequence_ = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count());
}

Expected<void> PurgeJournal::record(const std::vector<std::string>& edges,
                                    const std::vector<std::string>& paths) {
    std::string text;
    for (const auto& path : paths) {
        text += path + "\n";
    }
    std::uint64_t sequence = 0;
    {
        const std::lock_guard lock(mutex_);
        sequence = ++sequence_;
    }
    char name[32];
    std::snprintf(name, sizeof(name), "%020llu", static_cast<unsigned long long>(sequence));
    for (const auto& edge : edges) {
        if (auto written = write_durably(root_ + "/" + edge, std::string(name) + ".purge", text);
            !written) {
            return written;
        }
    }
    return {};
}

std::vector<PendingPurge> PurgeJournal::pending(const std::string& edge) const {
    std::vector<PendingPurge> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root_ + "/" + edge, ec)) {
        const std::string name = entry.path().filename().string();
        if (!name.ends_with(kSuffix) || name.starts_with(kTemporaryPrefix)) {
            continue;
        }
        auto text = read_file(entry.path().string());
        if (!text) {
            continue;
        }
        PendingPurge purge{entry.path().string(), {}};
        std::size_t at = 0;
        while (at < text->size()) {
            const auto end = std::min(text->find('\n', at), text->size());
            if (end > at) {
                purge.paths.push_back(text->substr(at, end - at));
            }
            at = end + 1;
        }
        found.push_back(std::move(purge));
    }
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.file < b.file; });
    return found;
}

Expected<void> PurgeJournal::done(const PendingPurge& purge) {
    return remove_durably(purge.file);
}

}  // namespace imgline::storage
