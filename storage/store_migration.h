#pragma once

#include "common/expected.h"
#include "storage/local_store.h"
#include "storage/s3_store.h"
#include "storage/stored_item.h"

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_set>

namespace imgline::storage {

/// The items a migration has copied and checked, kept in a file (one item name per line,
/// appended and flushed to disk after each), so a migration stopped anywhere resumes where it
/// stopped. Thread-safe.
class MigrationCheckpoint {
public:
    /// Opens (or starts) the checkpoint at `path`; a last line cut short by a crash is ignored.
    static Expected<std::unique_ptr<MigrationCheckpoint>> open(const std::string& path);
    ~MigrationCheckpoint();
    MigrationCheckpoint(const MigrationCheckpoint&) = delete;
    MigrationCheckpoint& operator=(const MigrationCheckpoint&) = delete;

    bool has(const std::string& name) const;
    /// Adds `name`, durably, before returning.
    Expected<void> add(const std::string& name);
    std::size_t size() const;

private:
    explicit MigrationCheckpoint(int fd) : fd_(fd) {}

    int fd_;
    mutable std::mutex mutex_;
    std::unordered_set<std::string> done_;
};

/// Where the checkpoint of a migration from `data_dir` to the bucket and prefix of `target`
/// lives: a file in `data_dir` named after the target, so migrating to another store starts
/// afresh.
std::string checkpoint_path(const std::string& data_dir, const config::S3Config& target);

/// Copies `item` from `from` to `to`, then reads the copy back and compares its SHA-256 with
/// the source's. The bytes copied; StorageUnavailable when either store fails or the copy
/// differs.
Expected<std::uint64_t> copy_item(const LocalStore& from, S3Store& to, const StoredItem& item);

}  // namespace imgline::storage
