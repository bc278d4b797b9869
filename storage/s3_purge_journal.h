#pragma once

#include "storage/purge_journal.h"
#include "storage/s3/s3_client.h"

#include <string>

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
};

}  // namespace imgline::storage
