#include "app/render_coalescer.h"

#include <atomic>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::app;

namespace {

std::shared_ptr<const storage::CachedRendition> rendition_of(std::string bytes) {
    auto rendition = std::make_shared<storage::CachedRendition>();
    rendition->bytes = std::move(bytes);
    return rendition;
}

}  // namespace

TEST_CASE("N waiters for one key share one render and all get its result", "[unit][coalescer]") {
    RenderCoalescer coalescer;
    constexpr int kWaiters = 16;
    std::vector<std::string> seen;
    int starters = 0;
    for (int i = 0; i < kWaiters; ++i) {
        const bool first = coalescer.join("key", [&](const RenditionResult& result) {
            REQUIRE(result);
            seen.push_back((*result)->bytes);
        });
        starters += first ? 1 : 0;
    }
    CHECK(starters == 1);
    CHECK(coalescer.in_flight() == 1);
    CHECK(seen.empty());  // nobody is answered before the render completes
    coalescer.complete("key", rendition_of("image"));
    CHECK(seen == std::vector<std::string>(kWaiters, "image"));
    CHECK(coalescer.in_flight() == 0);
    // The key is forgotten: the next ask starts a render of its own.
    CHECK(coalescer.join("key", [](const RenditionResult&) {}));
}

TEST_CASE("a failed render answers every waiter with its error", "[unit][coalescer]") {
    RenderCoalescer coalescer;
    std::vector<ErrorCode> codes;
    for (int i = 0; i < 3; ++i) {
        coalescer.join("key", [&](const RenditionResult& result) {
            REQUIRE_FALSE(result);
            codes.push_back(result.error().code);
        });
    }
    // What the rendition service does when the worker queue refuses the job.
    coalescer.complete("key", fail(ErrorCode::Overloaded, "busy"));
    CHECK(codes == std::vector<ErrorCode>(3, ErrorCode::Overloaded));
}

TEST_CASE("keys are independent, and completing an unknown key does nothing", "[unit][coalescer]") {
    RenderCoalescer coalescer;
    int a = 0;
    int b = 0;
    CHECK(coalescer.join("a", [&](const RenditionResult&) { ++a; }));
    CHECK(coalescer.join("b", [&](const RenditionResult&) { ++b; }));
    CHECK(coalescer.in_flight() == 2);
    coalescer.complete("c", rendition_of("x"));
    coalescer.complete("a", rendition_of("x"));
    CHECK(a == 1);
    CHECK(b == 0);
    coalescer.complete("a", rendition_of("x"));  // answered once only
    CHECK(a == 1);
}

TEST_CASE("a waiter may ask again from its callback without deadlock", "[unit][coalescer]") {
    RenderCoalescer coalescer;
    bool rejoined_first = false;
    coalescer.join("key", [&](const RenditionResult&) {
        // Answered outside the lock: a request that retries at once starts a fresh render.
        rejoined_first = coalescer.join("key", [](const RenditionResult&) {});
    });
    coalescer.complete("key", rendition_of("x"));
    CHECK(rejoined_first);
    CHECK(coalescer.in_flight() == 1);
}

TEST_CASE("many threads joining at once start exactly one render", "[unit][coalescer]") {
    RenderCoalescer coalescer;
    std::atomic<int> starters{0};
    std::atomic<int> answered{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            for (int round = 0; round < 100; ++round) {
                if (coalescer.join("k" + std::to_string(round),
                                   [&](const RenditionResult&) { ++answered; })) {
                    ++starters;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(starters == 100);
    for (int round = 0; round < 100; ++round) {
        coalescer.complete("k" + std::to_string(round), rendition_of("x"));
    }
    CHECK(answered == 800);
}
