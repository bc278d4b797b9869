#include "app/render_coalescer.h"

namespace imgline::app {

bool RenderCoalescer::join(const std::string& key, RenditionWaiter waiter) {
    std::lock_guard lock(mutex_);
    auto [entry, first] = waiting_.try_emplace(key);
    entry->second.push_back(std::move(waiter));
    return first;
}

void RenderCoalescer::complete(const std::string& key, const RenditionResult& result) {
    std::vector<RenditionWaiter> waiters;
    {
        std::lock_guard lock(mutex_);
        const auto found = waiting_.find(key);
        if (found == waiting_.end()) {
            return;
        }
        waiters = std::move(found->second);
        waiting_.erase(found);
    }
    for (const auto& waiter : waiters) {
        waiter(result);
    }
}

std::size_t RenderCoalescer::in_flight() const {
    std::lock_guard lock(mutex_);
    return waiting_.size();
}

}  // namespace imgline::app
