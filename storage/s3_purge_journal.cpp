#include "storage/s3_purge_journal.h"

#include "common/log.h"

#include <cstdio>
#include <random>

namespace imgline::storage {

S3PurgeJournal::S3PurgeJournal(config::S3Config settings,
                               s3::ObjectHttp http,
                               s3::StoreObserver observe)
    : client_(std::move(settings), std::move(http), std::move(observe)) {
    char tag[20];
    std::snprintf(
        tag, sizeof tag, "%016llx",
        static_cast<unsigned long long>(std::random_device{}()) << 32 | std::random_device{}());
    tag_ = tag;
}

Expected<void> S3PurgeJournal::record(const std::vector<std::string>& edges,
                                      const std::vector<std::string>& paths) {
    const std::string text = purge_text(paths);
    const std::string name = purge_entry_name(tag_);
    for (const auto& edge : edges) {
        if (auto written = client_.put("purges/" + edge + "/" + name, text); !written) {
            return written;
        }
    }
    return {};
}

std::vector<PendingPurge> S3PurgeJournal::pending(const std::string& edge) const {
    std::vector<PendingPurge> found;
    auto keys = client_.list_all("purges/" + edge + "/");
    if (!keys) {
        log::warn("could not list the purges owed to an edge",
                  {{"edge", edge}, {"detail", keys.error().detail}});
        return found;
    }
    for (auto& key : *keys) {
        auto text = client_.get(key);
        if (!text) {
            continue;  // sent and dropped by another origin meanwhile, or unreadable now
        }
        found.push_back({std::move(key), purge_paths(*text)});
    }
    return found;  // listed in key order: oldest first
}

Expected<void> S3PurgeJournal::done(const PendingPurge& purge) {
    return client_.remove(purge.entry);
}

}  // namespace imgline::storage
