#pragma once

#include <chrono>
#include <cstddef>

namespace imgline::cli {

/// One redrawn status line on standard error for long command-line work, drawn only when
/// stderr is a terminal: `[#####-----] 12/30  40%  3.1 img/s  ETA 0:06  failed 1`.
class ProgressLine {
public:
    explicit ProgressLine(std::size_t total);
    ~ProgressLine();

    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    /// One item done (or failed); redraws at most ten times a second.
    void advance(bool failed);

    /// Clears the bar so a message can be printed; the next advance() draws it again.
    void finish_line();

    /// Clears the line for good (before the final summary).
    void finish();

private:
    void draw();

    std::size_t total_;
    std::size_t done_ = 0;
    std::size_t failed_ = 0;
    bool enabled_;
    bool finished_ = false;
    std::chrono::steady_clock::time_point started_;
    std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace imgline::cli
