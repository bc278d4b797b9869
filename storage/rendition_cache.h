#pragma once

#include "common/image_format.h"
#include "storage/sealed_bytes.h"

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace imgline::storage {

/// A finished rendition as the caches keep it: the bytes and what the response headers say.
struct CachedRendition {
    /// The encoded image, unless it is `sealed` (then empty).
    std::string bytes;
    /// The encoded image in a sealed memory file, as the memory tier keeps it, so responses
    /// send it with sendfile(2) instead of copying it.
    std::shared_ptr<const SealedBytes> sealed;
    ImageFormat format = ImageFormat::Jpeg;
    int width = 0;
    int height = 0;
    int quality = 0;
    int encodes = 0;
    bool budget_met = true;
    /// Rendered with 4:4:4 chroma (JPEG/AVIF).
    bool chroma_full = false;
    /// Seconds since the epoch when it was rendered (Last-Modified).
    std::int64_t rendered_at = 0;

    /// The image's length in bytes, wherever it is held.
    std::uint64_t size() const {
        return sealed ? sealed->size() : bytes.size();
    }

    /// A copy of the image's bytes, wherever they are held.
    std::string contents() const {
        return sealed ? sealed->read(0, sealed->size()) : bytes;
    }
};

/// Renditions kept at the origin in two tiers, both bounded in bytes: an in-memory LRU (each
/// image in a sealed memory file where the kernel allows, see SealedBytes) over an on-disk LRU
/// (files written whole through a rename, so a reader never sees part of one; not fsynced, since a
/// lost cache file is only re-rendered). Keys are rendition keys (cdn::rendition_key), hashed into
/// file names. Thread-safe.
class RenditionCache {
public:
    enum class Tier { Memory, Disk };

    /// `disk_dir` is created; files already there (from an earlier run) are counted and kept,
    /// unless they were written by another `version` of the pipeline (its VERSION file says):
    /// then they are all removed at start. The memory tier holds at most `memory_entries`
    /// renditions (each may hold a file descriptor) as well as at most `memory_bytes`.
    RenditionCache(std::uint64_t memory_bytes,
                   std::string disk_dir,
                   std::uint64_t disk_bytes,
                   std::string version = {},
                   std::size_t memory_entries = SIZE_MAX);

    /// The rendition and the tier it came from; a disk hit is promoted to memory.
    std::optional<std::pair<std::shared_ptr<const CachedRendition>, Tier>> get(
        const std::string& key);

    /// Only the memory tier (cheap enough for an I/O thread).
    std::shared_ptr<const CachedRendition> get_from_memory(const std::string& key);

    /// Stores in both tiers, evicting the least recently used entries beyond the limits.
    void put(const std::string& key, std::shared_ptr<const CachedRendition> rendition);

    /// The quality and chroma a rendition last ended with, remembered (for up to
    /// kLearnedEntries keys) after its bytes have left both tiers, so a re-render starts there.
    std::optional<std::pair<int, bool>> learned(const std::string& key) const;

    std::uint64_t memory_bytes() const;
    std::uint64_t disk_bytes() const;

    /// Drops every rendition in memory whose key `unwanted` names (a removed preset's); returns
    /// how many. The disk tier names files by a hash of the key, so those are left to age out
    /// (nothing asks for them again).
    std::size_t drop_from_memory(const std::function<bool(std::string_view key)>& unwanted);

private:
    struct MemoryEntry {
        std::shared_ptr<const CachedRendition> rendition;
        std::list<std::string>::iterator position;
    };

    struct DiskEntry {
        std::uint64_t size = 0;
        std::list<std::string>::iterator position;
    };

    void remember_in_memory(const std::string& key,
                            std::shared_ptr<const CachedRendition> rendition);
    std::string file_for(const std::string& key) const;
    void load_disk_index();
    void forget_other_versions(const std::string& version);

    mutable std::mutex mutex_;
    std::uint64_t memory_limit_;
    std::size_t memory_entries_;
    std::uint64_t memory_used_ = 0;
    std::list<std::string> memory_order_;  // most recent first
    std::unordered_map<std::string, MemoryEntry> memory_;

    static constexpr std::size_t kLearnedEntries = 100'000;
    std::unordered_map<std::string, std::pair<int, bool>> learned_;

    std::string disk_dir_;
    std::uint64_t disk_limit_;
    std::uint64_t disk_used_ = 0;
    std::list<std::string> disk_order_;  // file names, most recent first
    std::unordered_map<std::string, DiskEntry> disk_;
};

}  // namespace imgline::storage
