#pragma once

#include "common/expected.h"

#include <string>

namespace imgline::pipeline {

/// Starts libvips once per process, set up for untrusted input on a server:
/// the operation cache off (an image proxy must not cache), untrusted loaders blocked
/// (ImageMagick, PDF, SVG and friends), and `cores` threads to share among the renders running
/// at once (RenderThreads). Also has glibc's malloc keep render-sized buffers (up to 32 MiB)
/// for reuse instead of mapping them anew for every render. `program` is argv[0]. Fails when
/// libvips cannot start.
Expected<void> start_vips(const char* program, int cores);

/// Shares the cores among the renders running at once: while one lives, every libvips
/// pipeline that starts gets cores ÷ (renders running) threads, at least one — a lone render
/// uses every core (lower latency), a busy server one thread per render (no thread fights
/// another for a core; `bench/README.md` has the measurements). One per render or mezzanine
/// build, on its own thread.
class RenderThreads {
public:
    RenderThreads();
    ~RenderThreads();
    RenderThreads(const RenderThreads&) = delete;
    RenderThreads& operator=(const RenderThreads&) = delete;

    /// Whether this render shares the cores with others (the server is busy: CPU per render
    /// matters more than one render's latency).
    static bool shared();
};

/// Shuts libvips down at process exit (frees its global state; keeps leak checkers quiet).
void stop_vips();

/// Frees libvips' per-thread buffers; call as a worker thread ends.
void release_thread_resources();

/// "8.14.1".
std::string libvips_version();

}  // namespace imgline::pipeline
