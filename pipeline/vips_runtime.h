#pragma once

#include "common/expected.h"

#include <string>

namespace imgline::pipeline {

/// Starts libvips once per process, set up for untrusted input on a server:
/// the operation cache off (an image proxy must not cache), untrusted loaders blocked
/// (ImageMagick, PDF, SVG and friends), and `threads_per_render` threads for each render,
/// so that workers × threads_per_render stays near the number of cores.
/// `program` is argv[0]. Fails when libvips cannot start.
Expected<void> start_vips(const char* program, int threads_per_render);

/// Shuts libvips down at process exit (frees its global state; keeps leak checkers quiet).
void stop_vips();

/// Frees libvips' per-thread buffers; call as a worker thread ends.
void release_thread_resources();

/// "8.14.1".
std::string libvips_version();

}  // namespace imgline::pipeline
