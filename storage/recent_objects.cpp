#include "storage/recent_objects.h"

namespace imgline::storage {

std::optional<std::string> RecentObjects::get(const std::string& key) {
    std::shared_ptr<const std::string> found;
    {
        std::lock_guard lock(mutex_);
        const auto it = index_.find(key);
        if (it == index_.end()) {
            return std::nullopt;
        }
        order_.splice(order_.begin(), order_, it->second);
        found = it->second->second;
    }
    return *found;  // copied outside the lock
}

bool RecentObjects::contains(const std::string& key) {
    std::lock_guard lock(mutex_);
    return index_.count(key) == 1;
}

void RecentObjects::put(const std::string& key, std::string_view bytes) {
    if (bytes.size() > capacity_ / 4) {
        return;  // one object never takes most of the room
    }
    auto value = std::make_shared<const std::string>(bytes);
    std::lock_guard lock(mutex_);
    if (const auto it = index_.find(key); it != index_.end()) {
        size_ -= it->second->second->size();
        order_.erase(it->second);
        index_.erase(it);
    }
    order_.emplace_front(key, std::move(value));
    index_[key] = order_.begin();
    size_ += bytes.size();
    while (size_ > capacity_ && !order_.empty()) {
        size_ -= order_.back().second->size();
        index_.erase(order_.back().first);
        order_.pop_back();
    }
}

void RecentObjects::forget(std::string_view prefix) {
    std::lock_guard lock(mutex_);
    for (auto it = order_.begin(); it != order_.end();) {
        if (std::string_view(it->first).starts_with(prefix)) {
            size_ -= it->second->size();
            index_.erase(it->first);
            it = order_.erase(it);
        } else {
            ++it;
        }
    }
}

}  // namespace imgline::storage
