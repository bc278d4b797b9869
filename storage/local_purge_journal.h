#pragma once

#include "storage/purge_journal.h"

#include <string>

namespace imgline::storage {

/// The purge journal on this origin's disk: <data_dir>/purges/<edge>/<name>.purge, one path per
/// line, written with write_durably. For storage.kind = "local".
class LocalPurgeJournal final : public PurgeJournal {
public:
    explicit LocalPurgeJournal(std::string data_dir);

    Expected<void> record(const std::vector<std::string>& edges,
                          const std::vector<std::string>& paths) override;
    std::vector<PendingPurge> pending(const std::string& edge) const override;
    Expected<void> done(const PendingPurge& purge) override;

private:
    std::string root_;
};

}  // namespace imgline::storage
