#include "pipeline/vips_runtime.h"

#include "common/log.h"
#include "pipeline/capabilities.h"

#include <algorithm>
#include <atomic>
#include <malloc.h>

#include <vips/vips8>

namespace imgline::pipeline {

namespace {

std::atomic<int> shared_cores{1};
std::atomic<int> renders_running{0};

void share_cores(int renders) {
    vips_concurrency_set(std::max(1, shared_cores.load() / std::max(1, renders)));
}

// libvips reports recoverable trouble in client files ("error in tile", "gAMA out of range")
// as GLib warnings on stderr. They belong in the structured log, at debug level: the request
// that caused them already gets its own answer.
void route_to_log(const gchar* domain,
                  GLogLevelFlags /*level*/,
                  const gchar* message,
                  gpointer /*unused*/) {
    log::write(log::Level::Debug, "libvips",
               {{"domain", domain != nullptr ? domain : ""},
                {"message", message != nullptr ? message : ""}});
}

// A render allocates a few buffers of megabytes (the decoded photo, the resize's passes, the
// encoded result). glibc's malloc hands buffers over 128 KiB out as fresh mappings and gives
// freed memory back to the kernel soon after, so every render faulted its pages in anew: about
// 2,000 page faults and several ms of kernel time per render from a 12 MP photo
// (bench/peer-job). Buffers up to kKeptBufferBytes now come from the heap and up to
// kKeptFreeBytes of freed memory stays with each heap for the next render; larger buffers are
// mapped and returned as before.
constexpr int kKeptBufferBytes = 32 * 1024 * 1024;
constexpr int kKeptFreeBytes = 128 * 1024 * 1024;

void keep_freed_buffers() {
    mallopt(M_MMAP_THRESHOLD, kKeptBufferBytes);
    mallopt(M_TRIM_THRESHOLD, kKeptFreeBytes);
}

}  // namespace

Expected<void> start_vips(const char* program, int cores) {
    if (VIPS_INIT(program) != 0) {
        std::string detail = vips_error_buffer();
        vips_error_clear();
        return fail(ErrorCode::Internal, "the image library could not start", detail);
    }
    g_log_set_handler("VIPS",
                      static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE),
                      route_to_log, nullptr);
    // libvips' checklist for image proxies: no operation cache, untrusted loaders blocked.
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    vips_block_untrusted_set(TRUE);
    shared_cores = std::max(1, cores);
    share_cores(renders_running.load());
    keep_freed_buffers();
    detect_capabilities();
    return {};
}

RenderThreads::RenderThreads() {
    share_cores(++renders_running);
}

bool RenderThreads::shared() {
    return renders_running.load() > 1;
}

RenderThreads::~RenderThreads() {
    share_cores(--renders_running);
}

void stop_vips() {
    vips_shutdown();
}

void release_thread_resources() {
    vips_thread_shutdown();
}

std::string libvips_version() {
    return vips_version_string();
}

}  // namespace imgline::pipeline
