#pragma once

#include "common/expected.h"

#include <string>

namespace imgline::storage {

/// Creates the data directory (and its parents) if it is missing. Fails with
/// StorageUnavailable when it cannot be created or is not a directory.
Expected<void> prepare_data_dir(const std::string& path);

/// Checks that a file can be created, written and removed in `path` right now (what /readyz
/// reports as "storage"). Leaves nothing behind. Fails with StorageUnavailable.
Expected<void> probe_writable(const std::string& path);

}  // namespace imgline::storage
