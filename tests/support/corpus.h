#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace imgline::test {

/// The repository's test images: tests/data, holding corpus/ and corpus-hostile/, each with its
/// MANIFEST.tsv and LICENSES.md (a selection of shared/corpus, and all of shared/corpus-hostile).
std::filesystem::path data_dir();

/// The carrier lists that ship with imgline (data/carriers).
std::filesystem::path carrier_lists_dir();

/// The bytes of a file (throws std::runtime_error if it cannot be read).
std::string read_bytes(const std::filesystem::path& path);

/// One row of a MANIFEST.tsv, by column name.
using ManifestRow = std::map<std::string, std::string>;

/// The rows of `tests/data/<folder>/MANIFEST.tsv` ("corpus" or "corpus-hostile").
std::vector<ManifestRow> manifest(const std::string& folder);

/// The class of answer a corpus-hostile MANIFEST row expects.
enum class HostileExpectation { Accept, AcceptOrReject, Reject415, Reject422, Reject4xx };

/// Reads the `expected_server_behaviour` column: "ACCEPT 201 (control)", "ACCEPT … or REJECT",
/// "REJECT 415 …", "REJECT 422 …", or another REJECT (400/422).
HostileExpectation hostile_expectation(const std::string& text);

/// True when an answer with HTTP `status` (200 or 201 for an accepted file) is what `expected`
/// allows: accepted files 2xx, 415 and 422 where the row says so, and never anything else.
bool hostile_outcome_ok(HostileExpectation expected, int status);

/// A hostile file's bytes as an attacker would send them (bzip2 containers are unpacked).
std::string hostile_bytes(const std::string& name);

/// Starts libvips once for this test process (idempotent, thread-safe).
void ensure_vips();

}  // namespace imgline::test
