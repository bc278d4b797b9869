#pragma once

#include <atomic>
#include <cstdint>

namespace imgline::server {

/// The request-body bytes every connection together may be receiving at once
/// (limits.bodies_in_flight). A request reserves its declared length (or, for a chunked body,
/// its route's limit) from the header, before any body byte is read, and gives it back when
/// it is answered: a crowd of uploads, slow or not, cannot make the server hold more than this.
/// Thread-safe.
class BodyBudget {
public:
    explicit BodyBudget(std::uint64_t limit) : limit_(limit) {}

    /// Takes `bytes` from the budget; false (nothing taken) when that would pass the limit.
    bool try_reserve(std::uint64_t bytes) {
        std::uint64_t used = used_.load(std::memory_order_relaxed);
        do {
            if (bytes > limit_ - used) {
                return false;
            }
        } while (!used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
        return true;
    }

    void release(std::uint64_t bytes) {
        used_.fetch_sub(bytes, std::memory_order_relaxed);
    }

    std::uint64_t in_use() const {
        return used_.load(std::memory_order_relaxed);
    }

private:
    const std::uint64_t limit_;
    std::atomic<std::uint64_t> used_{0};
};

}  // namespace imgline::server
