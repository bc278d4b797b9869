#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace imgline {

/// CPU threads with a bounded queue. Image work runs here, never on the I/O threads; a full
/// queue refuses new work at once (the caller answers 503) instead of letting memory grow.
/// Jobs must not throw (the session wraps each handler in a catch-all).
class WorkerPool {
public:
    struct Options {
        /// Number of threads (≥ 1).
        int threads = 1;
        /// Jobs that may wait while every thread is busy (≥ 1).
        std::size_t queue_capacity = 64;
        /// Run on each worker thread just before it ends (e.g. to free libvips' buffers).
        std::function<void()> on_thread_exit;
        /// At shutdown, drop the jobs still queued instead of running them (work that is only
        /// worth doing while the server runs, such as pre-rendering).
        bool drop_queued_on_shutdown = false;
    };

    explicit WorkerPool(Options options);
    ~WorkerPool();

    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Queues `job`; false (and `job` is dropped unrun) when the queue is full or the pool is
    /// shutting down. Thread-safe.
    bool try_submit(std::function<void()> job);

    /// Refuses new jobs, runs every queued job (or drops them, see Options), and joins the
    /// threads. Idempotent.
    void shutdown();

    /// Jobs waiting for a thread.
    std::size_t queued() const;

    /// Threads running a job now.
    std::size_t busy() const;

    std::size_t threads() const {
        return threads_.size();
    }

private:
    void work();

    Options options_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> queue_;
    std::size_t busy_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace imgline
