#pragma once

#include "storage/purge_journal.h"
#include "storage/s3/s3_client.h"

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace imgline::storage {

/// The purge journal in the object store, shared by every origin on the bucket and prefix:
/// purges/<edge>/<name>.purge. Whichever origin is running sends what any origin journalled,
/// so purges outlive the origin that wrote them. For storage.kind = "s3".
class S3PurgeJournal final : public PurgeJournal {
public:
    S3PurgeJournal(config::S3Config settings, s3::ObjectHttp http, s3::StoreObserver observe = {});

    Expected<void> record(const std::vector<std::string>& edges,
                          const std::vector<std::string>& paths) override;
    std::vector<PendingPurge> pending(const std::string& edge) const override;
    Expected<void> done(const PendingPurge& purge) override;

private:
    s3::S3Client client_;
    std::string tag_;  // this origin's, in its entries' names
    // Entries never change once written: each is read once, then only listed (senders look at
    // the journal every second, and an edge down for days may be owed thousands).
    mutable std::mutex known_mutex_;
    mutable std::map<std::string, std::vector<std::string>> known_paths_;
};

}  // namespace imgline::storage
