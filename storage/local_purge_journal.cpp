#include "storage/local_purge_journal.h"

#include "storage/durable_file.h"

#include <algorithm>
#include <filesystem>

namespace imgline::storage {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSuffix = ".purge";

}  // namespace

LocalPurgeJournal::LocalPurgeJournal(std::string data_dir)
    : root_(std::move(data_dir) + "/purges") {}

Expected<void> LocalPurgeJournal::record(const std::vector<std::string>& edges,
                                         const std::vector<std::string>& paths) {
    const std::string text = purge_text(paths);
    const std::string name = purge_entry_name({});
    for (const auto& edge : edges) {
        if (auto written = write_durably(root_ + "/" + edge, name, text); !written) {
            return written;
        }
    }
    return {};
}

std::vector<PendingPurge> LocalPurgeJournal::pending(const std::string& edge) const {
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
        found.push_back({entry.path().string(), purge_paths(*text)});
    }
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.entry < b.entry; });
    return found;
}

Expected<void> LocalPurgeJournal::done(const PendingPurge& purge) {
    return remove_durably(purge.entry);
}

}  // namespace imgline::storage
