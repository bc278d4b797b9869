#pragma once

#include "common/expected.h"
#include "storage/rendition_cache.h"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace imgline::app {

using RenditionResult = Expected<std::shared_ptr<const storage::CachedRendition>>;
using RenditionWaiter = std::function<void(const RenditionResult&)>;

/// Concurrent requests for the same missing rendition share one render: the first to join a
/// key starts the work, later ones only wait (no thread is held while they wait), and
/// complete() answers them all. Thread-safe.
class RenderCoalescer {
public:
    /// Adds `waiter` for `key`; true when the caller is the first and must start the work.
    bool join(const std::string& key, RenditionWaiter waiter);

    /// Answers every waiter of `key` (outside the lock) and forgets the key.
    void complete(const std::string& key, const RenditionResult& result);

    /// Keys being worked on now.
    std::size_t in_flight() const;

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::vector<RenditionWaiter>> waiting_;
};

}  // namespace imgline::app
