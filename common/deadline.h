#pragma once

#include <chrono>

namespace imgline {

/// A point in time after which work should stop, passed down like Go's context.
/// A default-constructed Deadline never expires.
class Deadline {
public:
    using Clock = std::chrono::steady_clock;

    Deadline() = default;

    static Deadline after(Clock::duration budget) {
        return Deadline(Clock::now() + budget);
    }

    static Deadline at(Clock::time_point when) {
        return Deadline(when);
    }

    bool is_expired() const {
        return Clock::now() >= when_;
    }

    /// Time left, zero once expired.
    Clock::duration remaining() const {
        const auto left = when_ - Clock::now();
        return left > Clock::duration::zero() ? left : Clock::duration::zero();
    }

    Clock::time_point when() const {
        return when_;
    }

private:
    explicit Deadline(Clock::time_point when) : when_(when) {}

    Clock::time_point when_ = Clock::time_point::max();
};

}  // namespace imgline
