#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace imgline::server {

class Session;

/// The open connections, so that shutdown can ask each to finish and the server knows when
/// the last one has gone. Thread-safe: sessions end on whichever thread drops them last.
class SessionRegistry {
public:
    void add(const std::shared_ptr<Session>& session);

    /// Called from ~Session. Runs the `on_empty` callback when the last one leaves.
    void remove(const Session* session);

    std::size_t size() const;

    /// The sessions still alive now.
    std::vector<std::shared_ptr<Session>> snapshot() const;

    /// Called (under no lock) each time the registry becomes empty.
    void set_on_empty(std::function<void()> callback);

private:
    mutable std::mutex mutex_;
    std::unordered_map<const Session*, std::weak_ptr<Session>> sessions_;
    std::function<void()> on_empty_;
};

}  // namespace imgline::server
