#include "app/edge_workers.h"

#include "app/purge_fanout.h"
#include "storage/local_purge_journal.h"
#include "tests/support/temp_dir.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include <catch2/catch.hpp>
#include <prometheus/registry.h>

using namespace imgline;
using namespace imgline::app;
using namespace std::chrono_literals;

namespace {

// Polls `done` for up to 30 s (never a timing assertion: only a bound on a wait).
template <class Predicate>
bool eventually(Predicate done) {
    const auto until = std::chrono::steady_clock::now() + 30s;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) {
            return false;
        }
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

config::EdgeConfig edge(std::string name) {
    config::EdgeConfig edge;
    edge.name = std::move(name);
    edge.base_url = "http://" + edge.name + ".test";
    return edge;
}

}  // namespace

TEST_CASE("edge workers run rounds per edge, wake on a nudge and stop promptly", "[unit][edges]") {
    std::atomic<int> rounds_a{0};
    std::atomic<int> rounds_c{0};
    EdgeWorkers workers;
    // An hour between rounds: only a nudge or stop() can end the wait.
    workers.start({0, 2}, [&](std::size_t index) {
        (index == 0 ? rounds_a : rounds_c)++;
        return std::chrono::milliseconds(3'600'000);
    });
    REQUIRE(eventually([&] { return rounds_a == 1 && rounds_c == 1; }));
    workers.start({1}, [](std::size_t) { return 0ms; });  // a second start does nothing
    workers.nudge();
    REQUIRE(eventually([&] { return rounds_a == 2 && rounds_c == 2; }));
    const auto before = std::chrono::steady_clock::now();
    workers.stop();
    // stop() ended the hour-long waits (bounded far below them, not a timing target).
    CHECK(std::chrono::steady_clock::now() - before < 60s);
    CHECK(rounds_a == 2);
}

TEST_CASE(
    "purges go to every purgeable edge through the given HTTP call, and a failing edge "
    "stays behind until it takes them",
    "[unit][edges][purge]") {
    test::TempDir dir;
    storage::LocalPurgeJournal journal(dir.path().string());
    prometheus::Registry registry;
    std::mutex mutex;
    std::multiset<std::string> asked;
    std::atomic<bool> b_refuses{true};
    HttpGet get = [&](const std::string& url, std::chrono::milliseconds) -> Expected<int> {
        const std::lock_guard lock(mutex);
        asked.insert(url);
        if (url.starts_with("http://b.test") && b_refuses) {
            return 503;
        }
        return 200;
    };
    auto https_only = edge("c");
    https_only.base_url = "https://c.test";  // no purge_url: cannot be purged
    PurgeFanout purges({edge("a"), edge("b"), https_only}, journal, get, registry);
    purges.start();
    REQUIRE(purges.purge({"/i/x/main", "/i/x/main.webp"}));
    // "-> bool": caught_up() returns a temporary vector<bool>, whose [] is a proxy into it.
    REQUIRE(eventually([&]() -> bool { return purges.caught_up()[0]; }));
    {
        const std::lock_guard lock(mutex);
        CHECK(asked.count("http://a.test/purge/i/x/main") == 1);
        CHECK(asked.count("http://a.test/purge/i/x/main.webp") == 1);
    }
    REQUIRE(eventually([&] {
        const std::lock_guard lock(mutex);
        return asked.count("http://b.test/purge/i/x/main") >= 2;  // refused, and tried again
    }));
    CHECK_FALSE(purges.caught_up()[1]);  // b refused: it still owes the purge
    CHECK(purges.caught_up()[2]);        // c owes nothing it could be sent
    CHECK(journal.pending("b").size() == 1);
    b_refuses = false;
    REQUIRE(eventually([&]() -> bool { return purges.caught_up()[1]; }));
    CHECK(journal.pending("b").empty());
    const std::lock_guard lock(mutex);
    CHECK(asked.count("http://b.test/purge/i/x/main.webp") == 1);
}
