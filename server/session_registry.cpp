#include "server/session_registry.h"

namespace imgline::server {

void SessionRegistry::add(const std::shared_ptr<Session>& session) {
    std::lock_guard lock(mutex_);
    sessions_.emplace(session.get(), session);
}

void SessionRegistry::remove(const Session* session) {
    std::function<void()> notify;
    {
        std::lock_guard lock(mutex_);
        sessions_.erase(session);
        if (sessions_.empty()) {
            notify = on_empty_;
        }
    }
    if (notify) {
        notify();
    }
}

std::size_t SessionRegistry::size() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

std::vector<std::shared_ptr<Session>> SessionRegistry::snapshot() const {
    std::vector<std::shared_ptr<Session>> alive;
    std::lock_guard lock(mutex_);
    alive.reserve(sessions_.size());
    for (const auto& [key, weak] : sessions_) {
        if (auto session = weak.lock()) {
            alive.push_back(std::move(session));
        }
    }
    return alive;
}

void SessionRegistry::set_on_empty(std::function<void()> callback) {
    std::lock_guard lock(mutex_);
    on_empty_ = std::move(callback);
}

}  // namespace imgline::server
