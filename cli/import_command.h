#pragma once

#include "cli/command.h"

#include <string>

namespace imgline::cli {

/// What `imgline import` was asked for.
struct ImportArgs {
    std::string folder;
    std::string server_url;        // --server http://HOST:PORT
    std::string key;               // --key (or IMGLINE_KEY)
    int jobs = 4;                  // --jobs: uploads in parallel
    std::string sku;               // --sku: one SKU for every file
    bool sku_from_folder = false;  // --sku-from-folder: each file's folder name is its SKU
    std::string role;              // --role
};

/// Uploads every file under `folder` (recursively, in parallel), skipping those the server
/// already holds (resumable), with a progress bar on a terminal, one line per refused file and
/// a final summary. Exit code 0 when nothing was refused, 1 otherwise, 2 for bad arguments.
int run_import(const ImportArgs& args);

/// Registers `imgline import` and its flags on `app`.
Command add_import_command(CLI::App& app);

}  // namespace imgline::cli
