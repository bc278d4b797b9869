#include "storage/s3_purge_journal.h"

#include "common/log.h"

#include <algorithm>
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
    std::lock_guard lock(known_mutex_);
    const std::string prefix = "purges/" + edge + "/";
    // Forget entries of this edge that are no longer listed (sent and dropped by any origin).
    for (auto it = known_paths_.lower_bound(prefix);
         it != known_paths_.end() && it->first.starts_with(prefix);) {
        it = std::binary_search(keys->begin(), keys->end(), it->first) ? std::next(it)
                                                                       : known_paths_.erase(it);
    }
    for (auto& key : *keys) {
        auto known = known_paths_.find(key);
        if (known == known_paths_.end()) {
            auto text = client_.get(key);
            if (!text) {
                continue;  // sent and dropped by another origin meanwhile, or unreadable now
            }
            known = known_paths_.emplace(key, purge_paths(*text)).first;
        }
        found.push_back({std::move(key), known->second});
    }
    return found;  // listed in key order: oldest first
}

Expected<void> S3PurgeJournal::done(const PendingPurge& purge) {
    if (auto removed = client_.remove(purge.entry); !removed) {
        return removed;
    }
    std::lock_guard lock(known_mutex_);
    known_paths_.erase(purge.entry);
    return {};
}

}  // namespace imgline::storage
