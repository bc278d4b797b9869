#include "app/rerenderer.h"

#include "common/log.h"
#include "common/unix_time.h"
#include "pipeline/capabilities.h"
#include "pipeline/vips_runtime.h"

#include <algorithm>
#include <set>
#include <thread>

namespace imgline::app {
Rerenderer::Rerenderer()
    : status_{{"state", "idle"}},
      pool_(WorkerPool::Options{1, 1, pipeline::release_thread_resources, true}) {}

Rerenderer::~Rerenderer() {
    stopping_ = true;
    pool_.shutdown();
}

Expected<void> Rerenderer::start(RerenderAsk ask,
                                 RenditionService renditions,
                                 const config::Config& config,
                                 const storage::OriginalStore& store,
                                 const RenditionDemand& demand) {
    if (ask.presets.empty()) {
        return fail(ErrorCode::BadRequest, "name at least one preset to re-render");
    }
    for (const auto& name : ask.presets) {
        if (config::find_preset(config, name) == nullptr) {
            return fail(ErrorCode::UnknownPreset, "there is no preset named '" + name + "'");
        }
    }
    if (!(ask.per_second >= 0.1 && ask.per_second <= 100.0)) {
        return fail(ErrorCode::BadRequest, "the rate must be from 0.1 to 100 renders a second");
    }
    if (running_.exchange(true)) {
        return fail(ErrorCode::Conflict, "a re-render is running; wait for it to finish");
    }
    {
        std::lock_guard lock(mutex_);
        started_ = std::chrono::steady_clock::now();
        status_ = {{"state", "running"},
                   {"presets", boost::json::array(ask.presets.begin(), ask.presets.end())},
                   {"per_second", ask.per_second},
                   {"all", ask.all},
                   {"rendered", 0},
                   {"already_there", 0},
                   {"failed", 0},
                   {"done", 0},
                   {"planned", 0},
                   {"started_at", rfc3339_now()},
                   {"seconds", 0.0}};
    }
    const bool queued = pool_.try_submit(
        [this, ask = std::move(ask), renditions, &config, &store, &demand]() mutable {
            run(std::move(ask), renditions, config, store, demand);
        });
    if (!queued) {
        running_ = false;
        return fail(ErrorCode::Overloaded, "the re-render could not start; try again");
    }
    return {};
}

void Rerenderer::note(RenditionService::Ahead outcome) {
    std::lock_guard lock(mutex_);
    const char* field = outcome == RenditionService::Ahead::Rendered       ? "rendered"
                        : outcome == RenditionService::Ahead::AlreadyThere ? "already_there"
                                                                           : "failed";
    status_[field] = status_[field].to_number<std::int64_t>() + 1;
    status_["done"] = status_["done"].to_number<std::int64_t>() + 1;
}

void Rerenderer::run(RerenderAsk ask,
                     RenditionService renditions,
                     const config::Config& config,
                     const storage::OriginalStore& store,
                     const RenditionDemand& demand) {
    const auto gap = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(1.0 / ask.per_second));
    auto next_start = std::chrono::steady_clock::now();
    std::set<std::string> seen;  // rendition keys done already
    // One rendition, no faster than the rate allows.
    auto render = [&](const std::string& id, const config::PresetConfig& preset,
                      ImageFormat format) {
        const RenditionAsk wanted = renditions.ask(id, preset, format);
        if (!seen.insert(wanted.key).second) {
            return;
        }
        std::this_thread::sleep_until(next_start);
        next_start = std::chrono::steady_clock::now() + gap;
        note(renditions.render_ahead(wanted));
    };
    const auto wanted = demand.most_wanted(ask.presets);
    {
        std::lock_guard lock(mutex_);
        status_["planned"] = wanted.size();
    }
    for (const auto& rendition : wanted) {
        if (stopping_) {
            break;
        }
        render(rendition.id, *config::find_preset(config, rendition.preset), rendition.format);
    }
    // Then every original of every party, page by page, in each format each preset offers.
    for (std::size_t party = 0; ask.all && !stopping_ && party < config.parties.size(); ++party) {
        std::string after;
        do {
            auto page = store.list(config.parties[party].name, "", after, 200);
            if (!page) {
                log::warn("re-render: a party's originals could not be listed",
                          {{"party", config.parties[party].name}, {"detail", page.error().detail}});
                break;
            }
            for (const auto& record : page->items) {
                for (const auto& name : ask.presets) {
                    const auto* preset = config::find_preset(config, name);
                    for (const auto& format_name : preset->formats) {
                        const auto format = parse_format_name(format_name);
                        if (format && pipeline::can_write(*format) && !stopping_) {
                            render(record.id, *preset, *format);
                        }
                    }
                }
            }
            after = page->next_after;
        } while (!after.empty() && !stopping_);
    }
    std::lock_guard lock(mutex_);
    status_["state"] = stopping_ ? "stopped" : "done";
    status_["seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    log::info("re-render finished", status_);
    running_ = false;
}

boost::json::object Rerenderer::status() const {
    std::lock_guard lock(mutex_);
    boost::json::object status = status_;
    if (running_) {
        status["seconds"] =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    }
    return status;
}

}  // namespace imgline::app
