#pragma once

#include "storage/s3/object_http.h"

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace imgline::server {

/// Blocking HTTP/1.1 for the object store client (storage::s3::ObjectHttp), plain or over TLS
/// (the store's certificate checked against the system's certificate authorities and those of
/// `ca_file`, and for the host name connected to): keep-alive connections kept in a pool and
/// reused by whichever thread asks next, at most `max_idle` kept. A request on a reused connection
/// that fails before any answer is sent once more on a fresh one (the store may have closed it
/// while idle). Every request is bounded by its timeout. Thread-safe.
class ObjectHttpPool {
public:
    explicit ObjectHttpPool(std::size_t max_idle = 32, const std::string& ca_file = {});
    ~ObjectHttpPool();
    ObjectHttpPool(const ObjectHttpPool&) = delete;
    ObjectHttpPool& operator=(const ObjectHttpPool&) = delete;

    Expected<storage::s3::ObjectResponse> send(const storage::s3::ObjectRequest& request);

    /// Connections opened so far (reuse shows as fewer than requests).
    std::size_t connections_opened() const;

    /// As a storage::s3::ObjectHttp (the pool must outlive it).
    storage::s3::ObjectHttp as_function();

    struct Connection;

private:
    std::unique_ptr<Connection> take(const std::string& address, const std::string& port, bool tls);
    void give_back(std::unique_ptr<Connection> connection);

    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::size_t max_idle_;
    std::size_t opened_ = 0;
    std::unique_ptr<boost::asio::ssl::context> tls_;
    std::string ca_problem_;  // why ca_file could not be read, if it could not
};

/// A storage::s3::ObjectHttp with a pool of its own, kept as long as any copy of it.
storage::s3::ObjectHttp pooled_object_http(std::size_t max_idle = 32,
                                           const std::string& ca_file = {});

}  // namespace imgline::server
