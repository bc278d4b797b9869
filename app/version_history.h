#pragma once

#include "app/rendition_address.h"
#include "common/expected.h"
#include "config/config.h"

#include <mutex>
#include <string>

namespace imgline::app {

/// The versions each preset's URLs have carried on this origin (/i/{id}/{preset}~{version}),
/// the newest kVersionsKept per preset, kept in <data_dir>/preset-versions.json. Edges may
/// still hold copies under URLs handed out before a style change, so a delete purges those
/// too. Written durably whenever a start or a reload brings a new version. Thread-safe.
class VersionHistory {
public:
    static constexpr std::size_t kVersionsKept = 16;

    /// Reads what an earlier run kept (nothing when the file is missing or unreadable).
    explicit VersionHistory(std::string data_dir);

    /// Adds the current version of each preset of `config`; writes the file when one is new.
    Expected<void> record(const config::Config& config);

    /// Every version kept, by preset name.
    KnownVersions known() const;

private:
    std::string dir_;
    mutable std::mutex mutex_;
    KnownVersions known_;
};

}  // namespace imgline::app
