#pragma once

#include "cli/command.h"

#include <optional>
#include <string>

namespace imgline::cli {

/// What `imgline migrate` was asked for.
struct MigrateArgs {
    std::string from;                        // --from local:DIR
    std::string to;                          // --to s3 ([storage.s3] of the configuration)
    int jobs = 4;                            // --jobs: objects copied in parallel
    std::optional<std::string> config_path;  // --config / IMGLINE_CONFIG
};

/// Copies every original, mezzanine, record (with its brand report) and tombstone of a local
/// data directory to the S3-compatible store of [storage.s3], reading each copy back to check
/// its SHA-256; originals and mezzanines first, then records (only those whose original was
/// copied), then tombstones. What was copied and checked is kept in a checkpoint file in DIR,
/// so running it again resumes. A progress bar on a terminal, one line per failure, a summary.
/// Exit 0 when everything is copied, 1 when something failed, 2 for bad arguments.
int run_migrate(const MigrateArgs& args);

/// Registers `imgline migrate` and its flags on `app`.
Command add_migrate_command(CLI::App& app);

}  // namespace imgline::cli
