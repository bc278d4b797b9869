#include "cli/migrate_command.h"

#include "cli/configuration.h"
#include "cli/progress.h"
#include "server/object_http_pool.h"
#include "storage/store_migration.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

namespace imgline::cli {
namespace {

using storage::StoredItem;

struct Tally {
    std::atomic<std::size_t> copied{0};
    std::atomic<std::size_t> already{0};
    std::atomic<std::size_t> failed{0};
    std::atomic<std::uint64_t> bytes{0};
};

// Copies `items` with `jobs` threads, skipping what the checkpoint holds.
void copy_all(const std::vector<StoredItem>& items,
              int jobs,
              const storage::LocalStore& from,
              storage::S3Store& to,
              storage::MigrationCheckpoint& checkpoint,
              ProgressLine& progress,
              Tally& tally) {
    std::mutex output;
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i = next++; i < items.size(); i = next++) {
            const StoredItem& item = items[i];
            const std::string name = item.name();
            std::string failure;
            if (checkpoint.has(name)) {
                ++tally.already;
            } else if (item.kind == StoredItem::Kind::Record &&
                       !checkpoint.has(
                           StoredItem{StoredItem::Kind::Original, item.id, {}, 0}.name())) {
                failure = "its original was not copied, so neither is the record";
            } else if (auto copied = storage::copy_item(from, to, item); !copied) {
                failure = copied.error().public_message + " (" + copied.error().detail + ")";
            } else if (auto kept = checkpoint.add(name); !kept) {
                failure = kept.error().public_message + " (" + kept.error().detail + ")";
            } else {
                ++tally.copied;
                tally.bytes += *copied;
            }
            std::lock_guard lock(output);
            if (!failure.empty()) {
                ++tally.failed;
                progress.finish_line();
                std::cerr << "failed: " << name << ": " << failure << "\n";
            }
            progress.advance(!failure.empty());
        }
    };
    std::vector<std::thread> workers;
    for (int i = 0; i < std::clamp(jobs, 1, 32); ++i) {
        workers.emplace_back(work);
    }
    for (auto& worker : workers) {
        worker.join();
    }
}

}  // namespace

int run_migrate(const MigrateArgs& args) {
    if (!args.from.starts_with("local:") || args.from.size() == 6) {
        std::cerr << "imgline: --from must be local:DIR (a data directory)\n";
        return 2;
    }
    if (args.to != "s3") {
        std::cerr << "imgline: --to must be s3 (the store of [storage.s3])\n";
        return 2;
    }
    const std::string dir = args.from.substr(6);
    if (!std::filesystem::is_directory(dir + "/originals")) {
        std::cerr << "imgline: '" << dir << "' is not an imgline data directory (no originals/)\n";
        return 2;
    }
    auto loaded = load_configuration(args.config_path,
                                     [](config::Config& config) { config.storage.kind = "s3"; });
    if (report_config_problems(loaded.problems)) {
        return 2;
    }
    const config::S3Config& target = loaded.config.storage.s3;
    // Read only: the origin may still be running on it (a second run copies what it added).
    auto from = storage::LocalStore::open(dir, false);
    if (!from) {
        std::cerr << "imgline: " << from.error().public_message << ": " << from.error().detail
                  << "\n";
        return 1;
    }
    auto to = storage::S3Store::open(target, server::pooled_object_http(32, target.ca_file));
    if (!to) {
        std::cerr << "imgline: the object store cannot be used: " << to.error().public_message
                  << ": " << to.error().detail << "\n";
        return 1;
    }
    auto checkpoint = storage::MigrationCheckpoint::open(storage::checkpoint_path(dir, target));
    if (!checkpoint) {
        std::cerr << "imgline: " << checkpoint.error().detail << "\n";
        return 1;
    }
    auto items = from->inventory();
    if (!items) {
        std::cerr << "imgline: " << items.error().public_message << ": " << items.error().detail
                  << "\n";
        return 1;
    }
    std::cerr << "imgline: copying " << items->size() << " objects from " << dir << " to "
              << target.endpoint << "/" << target.bucket << "/" << target.prefix << " ("
              << (*checkpoint)->size() << " copied by an earlier run)\n";

    // Bytes before the records that name them, records before tombstones: each group is copied
    // whole before the next starts.
    ProgressLine progress(items->size());
    Tally tally;
    auto group_end = items->begin();
    while (group_end != items->end()) {
        const auto group_begin = group_end;
        const bool bytes = group_begin->kind == StoredItem::Kind::Original ||
                           group_begin->kind == StoredItem::Kind::Mezzanine;
        group_end = std::find_if(group_begin, items->end(), [&](const StoredItem& item) {
            const bool item_bytes =
                item.kind == StoredItem::Kind::Original || item.kind == StoredItem::Kind::Mezzanine;
            return bytes ? !item_bytes : item.kind != group_begin->kind;
        });
        copy_all({group_begin, group_end}, args.jobs, *from, **to, **checkpoint, progress, tally);
    }
    progress.finish();
    std::cout << "objects " << items->size() << ", copied " << tally.copied << " ("
              << (tally.bytes + 512 * 1024) / (1024 * 1024) << " MB, each read back and checked)"
              << ", copied before " << tally.already << ", failed " << tally.failed << "\n";
    if (tally.failed > 0) {
        std::cout << "Run the same command again to copy what failed; what was copied is kept.\n";
    }
    return tally.failed > 0 ? 1 : 0;
}

Command add_migrate_command(CLI::App& app) {
    auto args = std::make_shared<MigrateArgs>();
    auto* command = app.add_subcommand(
        "migrate",
        "Copy a local data directory's originals, mezzanines, records (with brand reports) and\n"
        "tombstones to the S3-compatible store of [storage.s3], checking each copy's SHA-256.\n"
        "An interrupted migration resumes when run again. Renditions are not copied: each\n"
        "origin renders and caches its own.");
    command->add_option("--from", args->from, "local:DIR, the data directory to copy")->required();
    command->add_option("--to", args->to, "s3: the store of [storage.s3] in the configuration")
        ->required();
    command->add_option("--jobs", args->jobs, "Objects copied in parallel (default 4)");
    add_config_option(*command, args->config_path);
    return {command, [args] { return run_migrate(*args); }};
}

}  // namespace imgline::cli
