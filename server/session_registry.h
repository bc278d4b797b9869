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
    /// `peer` is the connection's remote address, counted per address.
    void add(const std::shared_ptr<Session>& session, const std::string& peer);

    /// Called from ~Session. Runs the `on_empty` callback when the last one leaves.
    void remove(const Session* session);

    std::size_t size() const;

    /// Open connections from `peer`.
    std::size_t from(const std::string& peer) const;

    /// Asks the connection that has waited longest between requests (idle keep-alive, or a new
    /// one that has sent nothing) to close, making room at the connection cap; false when
    /// every connection is busy.
    bool shed_oldest_idle() const;

    /// The sessions still alive now.
    std::vector<std::shared_ptr<Session>> snapshot() const;

    /// Called (under no lock) each time the registry becomes empty.
    void set_on_empty(std::function<void()> callback);

private:
    struct Entry {
        std::weak_ptr<Session> session;
        std::string peer;
    };

    mutable std::mutex mutex_;
    std::unordered_map<const Session*, Entry> sessions_;
    std::unordered_map<std::string, std::size_t> per_peer_;
    std::function<void()> on_empty_;
};

}  // namespace imgline::server
