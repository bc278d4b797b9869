#include "storage/rendition_cache.h"

#include "common/log.h"
#include "common/sha256.h"
#include "storage/durable_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

#include <boost/json.hpp>

namespace imgline::storage {
namespace {

// Names the pipeline version the files beside it were rendered by.
constexpr std::string_view kVersionFile = "VERSION";

namespace fs = std::filesystem;

// On disk: one line of JSON with the headers' facts, then the bytes.
std::string encode_file(const CachedRendition& rendition) {
    const boost::json::object meta{{"format", format_name(rendition.format)},
                                   {"width", rendition.width},
                                   {"height", rendition.height},
                                   {"quality", rendition.quality},
                                   {"encodes", rendition.encodes},
                                   {"budget_met", rendition.budget_met},
                                   {"chroma_full", rendition.chroma_full},
                                   {"rendered_at", rendition.rendered_at}};
    return boost::json::serialize(meta) + "\n" + rendition.contents();
}

// The form the memory tier keeps: the bytes moved into a sealed memory file, or left as they
// are where that is not possible.
std::shared_ptr<const CachedRendition> for_memory(
    std::shared_ptr<const CachedRendition> rendition) {
    if (rendition->sealed) {
        return rendition;
    }
    auto sealed = SealedBytes::seal(rendition->bytes);
    if (!sealed) {
        return rendition;
    }
    auto kept = std::make_shared<CachedRendition>(*rendition);
    kept->bytes.clear();
    kept->bytes.shrink_to_fit();
    kept->sealed = std::move(sealed);
    return kept;
}

std::shared_ptr<const CachedRendition> decode_file(const std::string& text) {
    const auto newline = text.find('\n');
    if (newline == std::string::npos) {
        return nullptr;
    }
    boost::system::error_code ec;
    const auto meta = boost::json::parse(std::string_view(text).substr(0, newline), ec);
    if (ec || !meta.is_object()) {
        return nullptr;
    }
    auto rendition = std::make_shared<CachedRendition>();
    const auto& object = meta.as_object();
    try {
        const auto format = parse_format_name(object.at("format").as_string());
        if (!format) {
            return nullptr;  // not a file this cache wrote
        }
        rendition->format = *format;
        rendition->width = static_cast<int>(object.at("width").as_int64());
        rendition->height = static_cast<int>(object.at("height").as_int64());
        rendition->quality = static_cast<int>(object.at("quality").as_int64());
        rendition->encodes = static_cast<int>(object.at("encodes").as_int64());
        rendition->budget_met = object.at("budget_met").as_bool();
        rendition->chroma_full = object.at("chroma_full").as_bool();
        rendition->rendered_at = object.at("rendered_at").as_int64();
    } catch (const std::exception&) {
        return nullptr;
    }
    rendition->bytes = text.substr(newline + 1);
    return rendition;
}

}  // namespace

RenditionCache::RenditionCache(std::uint64_t memory_bytes,
                               std::string disk_dir,
                               std::uint64_t disk_bytes,
                               std::string version,
                               std::size_t memory_entries)
    : memory_limit_(memory_bytes),
      memory_entries_(std::max<std::size_t>(memory_entries, 1)),
      disk_dir_(std::move(disk_dir)),
      disk_limit_(disk_bytes) {
    std::error_code ec;
    fs::create_directories(disk_dir_, ec);
    if (!version.empty()) {
        forget_other_versions(version);
    }
    load_disk_index();
}

void RenditionCache::forget_other_versions(const std::string& version) {
    const auto written = read_file(disk_dir_ + "/" + std::string(kVersionFile));
    if (written && *written == version) {
        return;
    }
    // Renditions are immutable under their keys only for one pipeline version: another's files
    // would never be asked for again, and would hold the disk until evicted.
    std::error_code ec;
    std::size_t removed = 0;
    for (const auto& entry : fs::directory_iterator(disk_dir_, ec)) {
        if (entry.is_regular_file(ec)) {
            removed += fs::remove(entry.path(), ec) ? 1 : 0;
        }
    }
    if (removed > 0) {
        log::info("the rendition disk cache was written by another pipeline version; emptied",
                  {{"version", version}, {"files_removed", removed}});
    }
    (void)write_durably(disk_dir_, std::string(kVersionFile), version);
}

void RenditionCache::load_disk_index() {
    struct Found {
        std::string name;
        std::uint64_t size;
        fs::file_time_type time;
    };

    std::vector<Found> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(disk_dir_, ec)) {
        const std::string name = entry.path().filename().string();
        if (name == kVersionFile) {
            continue;
        }
        if (entry.is_regular_file(ec) && !name.starts_with(kTemporaryPrefix)) {
            found.push_back({name, entry.file_size(ec), entry.last_write_time(ec)});
        } else if (name.starts_with(kTemporaryPrefix)) {
            fs::remove(entry.path(), ec);
        }
    }
    std::sort(found.begin(), found.end(),
              [](const Found& a, const Found& b) { return a.time > b.time; });
    for (const auto& file : found) {
        disk_order_.push_back(file.name);
        disk_[file.name] = DiskEntry{file.size, std::prev(disk_order_.end())};
        disk_used_ += file.size;
    }
}

std::string RenditionCache::file_for(const std::string& key) const {
    return sha256_hex(key).substr(0, 40);
}

std::shared_ptr<const CachedRendition> RenditionCache::get_from_memory(const std::string& key) {
    std::lock_guard lock(mutex_);
    const auto found = memory_.find(key);
    if (found == memory_.end()) {
        return nullptr;
    }
    memory_order_.splice(memory_order_.begin(), memory_order_, found->second.position);
    return found->second.rendition;
}

std::optional<std::pair<std::shared_ptr<const CachedRendition>, RenditionCache::Tier>>
RenditionCache::get(const std::string& key) {
    if (auto hit = get_from_memory(key)) {
        return std::pair{hit, Tier::Memory};
    }
    const std::string name = file_for(key);
    {
        std::lock_guard lock(mutex_);
        const auto found = disk_.find(name);
        if (found == disk_.end()) {
            return std::nullopt;
        }
        disk_order_.splice(disk_order_.begin(), disk_order_, found->second.position);
    }
    auto text = read_file(disk_dir_ + "/" + name);
    std::shared_ptr<const CachedRendition> rendition = text ? decode_file(*text) : nullptr;
    if (!rendition) {
        return std::nullopt;  // evicted meanwhile, or damaged: render again
    }
    rendition = for_memory(std::move(rendition));
    std::lock_guard lock(mutex_);
    remember_in_memory(key, rendition);
    return std::pair{rendition, Tier::Disk};
}

void RenditionCache::remember_in_memory(const std::string& key,
                                        std::shared_ptr<const CachedRendition> rendition) {
    const std::uint64_t size = rendition->size();
    if (size > memory_limit_) {
        return;
    }
    if (const auto found = memory_.find(key); found != memory_.end()) {
        memory_used_ -= found->second.rendition->size();
        memory_order_.erase(found->second.position);
        memory_.erase(found);
    }
    while ((memory_used_ + size > memory_limit_ || memory_.size() >= memory_entries_) &&
           !memory_order_.empty()) {
        const auto& oldest = memory_order_.back();
        memory_used_ -= memory_.at(oldest).rendition->size();
        memory_.erase(oldest);
        memory_order_.pop_back();
    }
    memory_order_.push_front(key);
    memory_[key] = MemoryEntry{std::move(rendition), memory_order_.begin()};
    memory_used_ += size;
}

std::size_t RenditionCache::drop_from_memory(
    const std::function<bool(std::string_view key)>& unwanted) {
    std::lock_guard lock(mutex_);
    std::size_t dropped = 0;
    for (auto it = memory_.begin(); it != memory_.end();) {
        if (!unwanted(it->first)) {
            ++it;
            continue;
        }
        memory_used_ -= it->second.rendition->size();
        memory_order_.erase(it->second.position);
        it = memory_.erase(it);
        ++dropped;
    }
    return dropped;
}

void RenditionCache::put(const std::string& key, std::shared_ptr<const CachedRendition> rendition) {
    const std::string text = encode_file(*rendition);
    auto kept = rendition->size() <= memory_limit_ ? for_memory(rendition) : rendition;
    {
        std::lock_guard lock(mutex_);
        remember_in_memory(key, std::move(kept));
        if (rendition->quality > 0) {
            if (learned_.size() >= kLearnedEntries) {
                learned_.clear();  // a crude bound; losing hints only costs encodes
            }
            learned_[key] = {rendition->quality, rendition->chroma_full};
        }
    }
    if (text.size() > disk_limit_) {
        return;
    }
    // Written whole under a temporary name, then renamed: no reader sees part of it.
    thread_local std::mt19937_64 random{std::random_device{}()};
    const std::string name = file_for(key);
    const std::string temporary =
        disk_dir_ + "/" + std::string(kTemporaryPrefix) + std::to_string(random());
    {
        std::ofstream out(temporary, std::ios::binary);
        out << text;
        if (!out) {
            std::error_code ec;
            fs::remove(temporary, ec);
            return;  // a cache that cannot write just stays smaller
        }
    }
    std::error_code ec;
    fs::rename(temporary, disk_dir_ + "/" + name, ec);
    if (ec) {
        fs::remove(temporary, ec);
        return;
    }
    std::vector<std::string> doomed;
    {
        std::lock_guard lock(mutex_);
        if (const auto found = disk_.find(name); found != disk_.end()) {
            disk_used_ -= found->second.size;
            disk_order_.erase(found->second.position);
            disk_.erase(found);
        }
        disk_order_.push_front(name);
        disk_[name] = DiskEntry{text.size(), disk_order_.begin()};
        disk_used_ += text.size();
        while (disk_used_ > disk_limit_ && disk_order_.size() > 1) {
            const std::string oldest = disk_order_.back();
            disk_used_ -= disk_.at(oldest).size;
            disk_.erase(oldest);
            disk_order_.pop_back();
            doomed.push_back(oldest);
        }
    }
    for (const auto& file : doomed) {
        fs::remove(disk_dir_ + "/" + file, ec);
    }
}

std::optional<std::pair<int, bool>> RenditionCache::learned(const std::string& key) const {
    std::lock_guard lock(mutex_);
    const auto found = learned_.find(key);
    if (found == learned_.end()) {
        return std::nullopt;
    }
    return found->second;
}

std::uint64_t RenditionCache::memory_bytes() const {
    std::lock_guard lock(mutex_);
    return memory_used_;
}

std::uint64_t RenditionCache::disk_bytes() const {
    std::lock_guard lock(mutex_);
    return disk_used_;
}

}  // namespace imgline::storage
