#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace imgline::test {

/// ../shared, from IMGLINE_SHARED_DIR (set by CTest) or relative to the working directory.
std::filesystem::path shared_dir();

/// The bytes of a file (throws std::runtime_error if it cannot be read).
std::string read_bytes(const std::filesystem::path& path);

/// One row of a MANIFEST.tsv, by column name.
using ManifestRow = std::map<std::string, std::string>;

/// The rows of `<shared>/<folder>/MANIFEST.tsv` ("corpus" or "corpus-hostile").
std::vector<ManifestRow> manifest(const std::string& folder);

/// Starts libvips once for this test process (idempotent, thread-safe).
void ensure_vips();

}  // namespace imgline::test
