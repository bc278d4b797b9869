#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace imgline::storage {

/// Objects read from or written to a remote store lately, kept in memory up to `capacity`
/// bytes (the least recently used go first), so a burst of renders of one new image does not
/// fetch its mezzanine once per rendition. Thread-safe.
class RecentObjects {
public:
    explicit RecentObjects(std::size_t capacity) : capacity_(capacity) {}

    std::optional<std::string> get(const std::string& key);
    bool contains(const std::string& key);
    void put(const std::string& key, std::string_view bytes);
    /// Drops every key starting with `prefix`.
    void forget(std::string_view prefix);

private:
    using Entry = std::pair<std::string, std::shared_ptr<const std::string>>;

    std::mutex mutex_;
    std::size_t capacity_;
    std::size_t size_ = 0;
    std::list<Entry> order_;  // most recent first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace imgline::storage
