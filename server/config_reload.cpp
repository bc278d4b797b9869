#include "server/config_reload.h"

#include "app/style_changes.h"
#include "common/log.h"
#include "config/validate_config.h"
#include "server/routes.h"
#include "server/server.h"

namespace imgline::server {

ConfigReloader::ConfigReloader(config::Config initial,
                               std::function<config::LoadResult()> load_again,
                               app::Services& services)
    : load_again_(std::move(load_again)), services_(services) {
    configs_.push_back(std::move(initial));
}

const config::Config& ConfigReloader::current() const {
    std::lock_guard lock(mutex_);
    return configs_.back();
}

std::vector<Route> ConfigReloader::routes(Server& server) {
    server_ = &server;
    return all_routes(server, current(), services_, [this] { return reload(); });
}

boost::json::object ConfigReloader::reload() {
    std::lock_guard lock(mutex_);
    auto loaded = load_again_();
    const config::Config& running = configs_.back();
    config::Config next = app::with_styles(running, loaded.config);
    if (loaded.problems.empty()) {
        loaded.problems = config::validate(next);
    }
    if (!loaded.problems.empty()) {
        boost::json::array problems;
        for (const auto& problem : loaded.problems) {
            problems.push_back({{"key", problem.key}, {"message", problem.message}});
            log::warn("configuration not reloaded",
                      {{"key", problem.key}, {"problem", problem.message}});
        }
        return {{"reloaded", false}, {"problems", std::move(problems)}};
    }
    const app::StyleChanges changes = app::compare_styles(running, next, loaded.config);
    boost::json::object answer = app::to_json(changes);
    answer["reloaded"] = changes.any();
    answer["problems"] = boost::json::array();
    std::size_t dropped = 0;
    if (changes.any() && server_ != nullptr) {
        configs_.push_back(std::move(next));
        const config::Config& now = configs_.back();
        if (auto recorded = services_.versions.record(now); !recorded) {
            log::warn("the preset version history could not be written",
                      {{"detail", recorded.error().detail}});
        }
        server_->replace_routes(all_routes(*server_, now, services_, [this] { return reload(); }));
        // Keys are "<64-hex id>.<preset>.…": a removed (or renamed) preset's renditions are
        // never asked for again.
        std::vector<std::string> gone = changes.removed;
        for (const auto& [from, to] : changes.renamed) {
            gone.push_back(from);
        }
        for (const auto& preset : gone) {
            dropped += services_.cache.drop_from_memory([&](std::string_view key) {
                return key.size() > 65 && key.substr(65).starts_with(preset + ".");
            });
        }
    }
    answer["renditions_dropped"] = dropped;
    log::info(changes.any() ? "configuration reloaded" : "configuration reloaded: nothing changed",
              answer);
    if (changes.restart_needed) {
        log::warn(
            "settings outside [[presets]], [[brands]] and [products] changed; they take "
            "effect after a restart");
    }
    return answer;
}

}  // namespace imgline::server
