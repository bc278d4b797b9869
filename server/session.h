#pragma once

#include "cdn/viewer_address.h"
#include "common/expected.h"
#include "common/worker_pool.h"
#include "config/config.h"
#include "server/body_budget.h"
#include "server/http_metrics.h"
#include "server/http_types.h"
#include "server/reply.h"
#include "server/request.h"
#include "server/router.h"
#include "server/session_registry.h"
#include "server/shared_body.h"

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include <boost/asio/steady_timer.hpp>

namespace imgline::server {

/// What every session shares; owned by the Server, which outlives all sessions.
struct SessionContext {
    const RouterSlot& router;
    const config::ServerConfig& server;
    const config::LimitsConfig& limits;
    WorkerPool& workers;
    HttpMetrics& metrics;
    SessionRegistry& registry;
    BodyBudget& bodies;
    /// Exempt from server.max_connections_per_address.
    const cdn::AddressSet& trusted_proxies;
    /// Where bodies past kBodyInMemoryBytes are held (Server::Options::spool_dir, resolved).
    const std::string& spool_dir;
};

/// A request body up to this size is held in memory; a larger one in a temporary file, so
/// slow large uploads cost disk rather than memory.
inline constexpr std::size_t kBodyInMemoryBytes = 1024 * 1024;

/// One client connection, on its own strand. Requests are read one at a time with a fresh
/// parser each (header limit, then the matched route's body limit), answered in order, and
/// the next request is not read until the current one is answered, so pipelining is bounded
/// to one request in progress per connection. Every read and write has a timeout, so a slow
/// client cannot hold the connection (or anything else) for long.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket&& socket, SessionContext& context);
    ~Session();

    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// Registers the session and starts reading requests.
    void start();

    /// Answers 503 overloaded without reading anything, then closes (connection cap reached,
    /// or too many connections from one address).
    void reject_overloaded(std::string_view why);

    /// The peer's address ("127.0.0.1"), empty when the socket had none.
    const std::string& peer_address() const {
        return peer_address_;
    }

    /// Past the connection cap: reads one request and answers it only if it is /healthz or
    /// /readyz (503 overloaded otherwise), then closes, so probes see the truth at the cap.
    void start_health_only();

    /// When the connection last began waiting for a request (steady-clock ticks), or 0 while
    /// a request is under way. Thread-safe.
    std::int64_t idle_since() const {
        return idle_since_.load(std::memory_order_relaxed);
    }

    /// Closes the connection if it is still waiting for a request. Thread-safe.
    void close_if_idle();

    /// Shutdown: an idle connection closes now; one with a request in progress finishes it,
    /// answers with Connection: close, and closes. Thread-safe.
    void drain();

private:
    enum class State { Idle, ReadingHeader, ReadingBody, Handling, Writing, Closed };

    void register_open();
    void wait_for_request();
    void on_first_bytes(beast::error_code ec, std::size_t bytes);
    void read_header();
    void on_header(beast::error_code ec, std::size_t bytes);
    void on_continue_sent(beast::error_code ec, std::size_t bytes);
    void read_body();
    void on_body(beast::error_code ec, std::size_t bytes);
    void handle();
    void run_on_worker(const Route& route);
    void run_async(const Route& route);
    /// A callback, callable from any thread, that sends its answer on this session's strand.
    Respond responder();
    void send(Reply reply);
    void send_error(const Error& error, bool close_after);
    void on_write(beast::error_code ec, std::size_t bytes);
    // A file body (sendfile) and its header, written as the socket takes them, bounded by the
    // write timeout while waiting for room.
    void send_file_part();
    void wait_until_writable();
    void finish_file(beast::error_code ec);
    void linger_close();
    void on_linger_read(beast::error_code ec, std::size_t bytes);
    void close();

    Expected<Reply> call_handler(const Route& route) const;
    void log_request(int status, std::size_t body_bytes, boost::json::object fields = {}) const;

    SessionContext& context_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<SpooledBody>> parser_;
    std::optional<http::response<SharedBody>> response_;
    std::optional<http::response<http::empty_body>> continue_;
    FileBody file_;
    std::string file_header_;
    std::size_t file_header_sent_ = 0;
    std::uint64_t file_sent_ = 0;
    net::steady_timer file_timer_;
    std::optional<Request> request_;
    std::shared_ptr<const Router> router_;  // the table match_ points into
    std::variant<RouteMatch, RouteMiss> match_;
    std::string request_id_;
    std::string peer_address_;
    std::string local_address_;
    std::string route_name_ = "unmatched";
    std::chrono::steady_clock::time_point started_;
    State state_ = State::Idle;
    bool close_after_write_ = false;
    bool in_flight_ = false;
    bool draining_ = false;
    bool registered_ = false;
    std::size_t lingered_bytes_ = 0;
    // Taken from context_.bodies for the current request's body, given back when answered.
    std::uint64_t body_reserved_ = 0;
    std::atomic<std::int64_t> idle_since_{0};
    bool health_only_ = false;
    void release_body_reservation();
    std::array<char, 4096> discard_{};
};

}  // namespace imgline::server
