// The in-process render limit for bench/http: THREADS threads render PHOTO to PRESET (JPEG)
// back to back for SECONDS, as the server's workers do (same libvips settings, learned quality
// after the first render), and print renders per second.
#include "config/config.h"
#include "pipeline/render.h"
#include "pipeline/vips_runtime.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

using namespace imgline;

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: bench_render PHOTO PRESET THREADS SECONDS\n");
        return 2;
    }
    std::ifstream file(argv[1], std::ios::binary);
    std::ostringstream bytes;
    bytes << file.rdbuf();
    const std::string original = bytes.str();
    const int threads = std::max(1, std::atoi(argv[3]));
    const auto seconds = std::chrono::seconds(std::atoi(argv[4]));
    const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    if (!pipeline::start_vips(argv[0], cores)) {
        return 1;
    }
    const auto config = config::builtin_config();
    const config::PresetConfig* preset = nullptr;
    for (const auto& candidate : config.presets) {
        if (candidate.name == argv[2]) {
            preset = &candidate;
        }
    }
    if (preset == nullptr) {
        return 2;
    }
    const auto plan = *pipeline::make_plan(*preset, pipeline::ImageFormat::Jpeg);
    const auto first =
        pipeline::render(original, plan, config.limits, Deadline::after(std::chrono::minutes(1)));
    const pipeline::LearnedQuality learned{first->quality, first->chroma_full};
    std::atomic<long> renders{0};
    const auto until = std::chrono::steady_clock::now() + seconds;
    std::vector<std::thread> workers;
    for (int i = 0; i < threads; ++i) {
        workers.emplace_back([&] {
            while (std::chrono::steady_clock::now() < until) {
                if (pipeline::render(original, plan, config.limits,
                                     Deadline::after(std::chrono::minutes(1)), learned)) {
                    ++renders;
                }
                pipeline::release_thread_resources();
            }
        });
    }
    for (auto& worker : workers) {
        worker.join();
    }
    std::printf("%.2f\n",
                static_cast<double>(renders.load()) / static_cast<double>(seconds.count()));
    pipeline::stop_vips();
    return 0;
}
