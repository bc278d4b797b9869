#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace imgline::app {

/// One background thread per edge, each running rounds of the same work until stopped: the
/// lifecycle that edge health checks and purge fan-out share. A round returns how long to wait
/// before the next; nudge() ends the waits at once (a round already running finishes first and
/// then starts the next one without waiting); stop() (also in the destructor) ends the waits
/// and joins every thread.
class EdgeWorkers {
public:
    /// Runs one round for the edge at `index`; returns the pause before the next round.
    using Round = std::function<std::chrono::milliseconds(std::size_t index)>;

    EdgeWorkers() = default;
    ~EdgeWorkers();

    EdgeWorkers(const EdgeWorkers&) = delete;
    EdgeWorkers& operator=(const EdgeWorkers&) = delete;

    /// Starts a thread for each of `indices` (idempotent: a second call does nothing).
    void start(const std::vector<std::size_t>& indices, Round round);

    /// Wakes every waiting thread for its next round now.
    void nudge();

    /// Ends the waits and joins the threads; a round in progress finishes first. Idempotent.
    void stop();

private:
    void run(std::size_t index);

    Round round_;
    std::vector<std::thread> threads_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::uint64_t nudges_ = 0;
    bool stopping_ = false;
};

}  // namespace imgline::app
