#include "server/session_registry.h"

#include "server/session.h"

namespace imgline::server {

void SessionRegistry::add(const std::shared_ptr<Session>& session, const std::string& peer) {
    std::lock_guard lock(mutex_);
    sessions_.emplace(session.get(), Entry{session, peer});
    ++per_peer_[peer];
}

void SessionRegistry::remove(const Session* session) {
    std::function<void()> notify;
    {
        std::lock_guard lock(mutex_);
        if (const auto found = sessions_.find(session); found != sessions_.end()) {
            if (const auto peer = per_peer_.find(found->second.peer);
                peer != per_peer_.end() && --peer->second == 0) {
                per_peer_.erase(peer);
            }
            sessions_.erase(found);
        }
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

std::size_t SessionRegistry::from(const std::string& peer) const {
    std::lock_guard lock(mutex_);
    const auto found = per_peer_.find(peer);
    return found == per_peer_.end() ? 0 : found->second;
}

bool SessionRegistry::shed_oldest_idle() const {
    std::shared_ptr<Session> oldest;
    std::int64_t oldest_since = 0;
    for (auto& session : snapshot()) {
        const std::int64_t since = session->idle_since();
        if (since != 0 && (!oldest || since < oldest_since)) {
            oldest = std::move(session);
            oldest_since = since;
        }
    }
    if (!oldest) {
        return false;
    }
    oldest->close_if_idle();
    return true;
}

std::vector<std::shared_ptr<Session>> SessionRegistry::snapshot() const {
    std::vector<std::shared_ptr<Session>> alive;
    std::lock_guard lock(mutex_);
    alive.reserve(sessions_.size());
    for (const auto& [key, entry] : sessions_) {
        if (auto session = entry.session.lock()) {
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
