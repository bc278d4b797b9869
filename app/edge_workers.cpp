#include "app/edge_workers.h"

namespace imgline::app {

EdgeWorkers::~EdgeWorkers() {
    stop();
}

void EdgeWorkers::start(const std::vector<std::size_t>& indices, Round round) {
    const std::lock_guard lock(mutex_);
    if (!threads_.empty() || stopping_) {
        return;
    }
    round_ = std::move(round);
    for (const std::size_t index : indices) {
        threads_.emplace_back([this, index] { run(index); });
    }
}

void EdgeWorkers::nudge() {
    {
        const std::lock_guard lock(mutex_);
        ++nudges_;
    }
    wake_.notify_all();
}

void EdgeWorkers::stop() {
    std::vector<std::thread> threads;
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
        threads.swap(threads_);
    }
    wake_.notify_all();
    for (auto& thread : threads) {
        thread.join();
    }
}

void EdgeWorkers::run(std::size_t index) {
    while (true) {
        std::uint64_t seen = 0;
        {
            const std::lock_guard lock(mutex_);
            if (stopping_) {
                return;
            }
            seen = nudges_;
        }
        const auto pause = round_(index);
        // A nudge during the round counts: the next round starts without waiting.
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, pause, [&] { return stopping_ || nudges_ != seen; });
        if (stopping_) {
            return;
        }
    }
}

}  // namespace imgline::app
