#include "cli/progress.h"

#include <cstdio>
#include <string>
#include <unistd.h>

namespace imgline::cli {
namespace {

constexpr int kBarWidth = 20;

}  // namespace

ProgressLine::ProgressLine(std::size_t total)
    : total_(total),
      enabled_(::isatty(STDERR_FILENO) == 1),
      started_(std::chrono::steady_clock::now()) {}

ProgressLine::~ProgressLine() {
    finish();
}

void ProgressLine::advance(bool failed) {
    ++done_;
    if (failed) {
        ++failed_;
    }
    const auto now = std::chrono::steady_clock::now();
    if (done_ == total_ || now - last_draw_ >= std::chrono::milliseconds(100)) {
        last_draw_ = now;
        draw();
    }
}

void ProgressLine::draw() {
    if (!enabled_ || total_ == 0) {
        return;
    }
    const double share = static_cast<double>(done_) / static_cast<double>(total_);
    const int filled = static_cast<int>(share * kBarWidth);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0.0;
    const auto left = rate > 0 ? static_cast<long>(static_cast<double>(total_ - done_) / rate) : 0L;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(kBarWidth - filled), '-');
    std::fprintf(stderr, "\r[%s] %zu/%zu %3d%%  %.1f img/s  ETA %ld:%02ld  failed %zu ",
                 bar.c_str(), done_, total_, static_cast<int>(share * 100), rate, left / 60,
                 left % 60, failed_);
    std::fflush(stderr);
}

void ProgressLine::finish_line() {
    if (enabled_ && done_ > 0) {
        std::fprintf(stderr, "\r\033[K");
    }
}

void ProgressLine::finish() {
    if (enabled_ && !finished_ && done_ > 0) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
    }
    finished_ = true;
}

}  // namespace imgline::cli
