#include "common/worker_pool.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <new>
#include <stdexcept>

#include <catch2/catch.hpp>

using namespace imgline;
using namespace std::chrono_literals;

TEST_CASE("the worker pool runs every accepted job and refuses past its queue", "[unit][workers]") {
    std::mutex mutex;
    std::condition_variable changed;
    bool open = false;
    int started = 0;
    std::atomic<int> finished{0};
    std::atomic<int> exited{0};
    {
        WorkerPool pool({2, 3, [&] { ++exited; }});
        auto blocked = [&] {
            std::unique_lock lock(mutex);
            ++started;
            changed.notify_all();
            changed.wait(lock, [&] { return open; });
            ++finished;
        };
        REQUIRE(pool.try_submit(blocked));
        REQUIRE(pool.try_submit(blocked));
        {
            std::unique_lock lock(mutex);
            REQUIRE(changed.wait_for(lock, 5s, [&] { return started == 2; }));
        }
        CHECK(pool.busy() == 2);
        // Two threads busy: three more wait in the queue, the fourth is refused.
        REQUIRE(pool.try_submit(blocked));
        REQUIRE(pool.try_submit(blocked));
        REQUIRE(pool.try_submit(blocked));
        CHECK(pool.queued() == 3);
        CHECK_FALSE(pool.try_submit(blocked));
        {
            std::lock_guard lock(mutex);
            open = true;
        }
        changed.notify_all();
        pool.shutdown();  // runs what was queued, then joins
        CHECK_FALSE(pool.try_submit(blocked));
    }
    CHECK(finished == 5);
    CHECK(exited == 2);
}

TEST_CASE("a job that throws does not end its worker or the process", "[unit][workers]") {
    std::atomic<int> ran{0};
    {
        WorkerPool pool({1, 8, {}, false});
        REQUIRE(pool.try_submit([] { throw std::bad_alloc(); }));
        REQUIRE(pool.try_submit([] { throw std::runtime_error("a bug"); }));
        REQUIRE(pool.try_submit([&] { ++ran; }));
    }  // the destructor runs what was queued, then joins
    CHECK(ran == 1);
}
