#pragma once

#include "common/expected.h"

#include <string>
#include <string_view>

namespace imgline::storage {

/// Writes `bytes` to `dir/name` so that a crash at any moment leaves either the old state or the
/// complete new file, never a part: a temporary file in the same directory, written, fsynced,
/// renamed into place, then the directory fsynced. Missing directories are created (and their
/// parents fsynced). Errors: InsufficientStorage (disk full or quota), StorageUnavailable
/// (anything else, including a failed fsync — never retried into a false success).
Expected<void> write_durably(const std::string& dir,
                             const std::string& name,
                             std::string_view bytes);

/// Removes `path` and fsyncs its directory. A missing file is not an error.
Expected<void> remove_durably(const std::string& path);

/// A failed system call on storage as an error: a full disk is InsufficientStorage (507),
/// anything else StorageUnavailable (503); `what` and the errno text go to the detail.
Error errno_error(int error, const std::string& what);

/// Reads a whole file; NotFound when it does not exist.
Expected<std::string> read_file(const std::string& path);

/// Deletes the temporary files an interrupted write left under `root` (at start-up, before
/// anything is served). Returns how many were removed.
std::size_t remove_leftover_temporaries(const std::string& root);

/// The prefix of temporary files, which readers never treat as content.
inline constexpr std::string_view kTemporaryPrefix = ".tmp-";

}  // namespace imgline::storage
