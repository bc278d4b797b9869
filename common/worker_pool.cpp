#include "common/worker_pool.h"

#include "common/error.h"
#include "common/log.h"

namespace imgline {

WorkerPool::WorkerPool(Options options) : options_(std::move(options)) {
    const int count = options_.threads < 1 ? 1 : options_.threads;
    threads_.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        threads_.emplace_back([this] { work(); });
    }
}

WorkerPool::~WorkerPool() {
    shutdown();
}

bool WorkerPool::try_submit(std::function<void()> job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || queue_.size() >= options_.queue_capacity) {
            return false;
        }
        queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
}

void WorkerPool::shutdown() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        if (options_.drop_queued_on_shutdown) {
            queue_.clear();
        }
    }
    wake_.notify_all();
    for (auto& thread : threads_) {
        if (thread.joinable()) {
            thread.join();
        }
    }
}

std::size_t WorkerPool::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

std::size_t WorkerPool::busy() const {
    std::lock_guard lock(mutex_);
    return busy_;
}

void WorkerPool::work() {
    while (true) {
        std::function<void()> job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                break;  // stopping, and nothing left to run
            }
            job = std::move(queue_.front());
            queue_.pop_front();
            ++busy_;
        }
        try {
            job();
        } catch (...) {
            // Jobs answer their own errors; one that escapes must not end the process.
            const Error error = error_from_current_exception();
            log::error("a background job failed", {{"detail", error.detail}});
        }
        std::lock_guard lock(mutex_);
        --busy_;
    }
    if (options_.on_thread_exit) {
        options_.on_thread_exit();
    }
}

}  // namespace imgline
