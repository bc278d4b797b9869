#include "common/log.h"

#include <atomic>
#include <chrono>
#include <ctime>
#include <string>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace imgline::log {
namespace {

std::atomic<Level> g_min_level{Level::Info};

std::string_view level_name(Level level) {
    switch (level) {
        case Level::Debug:
            return "debug";
        case Level::Info:
            return "info";
        case Level::Warn:
            return "warn";
        case Level::Error:
            return "error";
    }
    return "info";
}

// RFC 3339 UTC with milliseconds: 2026-11-26T23:40:46.123Z
std::string utc_timestamp() {
    const auto now = std::chrono::system_clock::now();
    const auto seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", parts.tm_year + 1900,
                       parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                       millis);
}

// spdlog owns the locking and the stdout sink; the JSON is ours, so the pattern is the bare
// message and nothing spdlog adds can break a line.
spdlog::logger& stdout_logger() {
    static const auto logger = [] {
        auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
        auto made = std::make_shared<spdlog::logger>("imgline", std::move(sink));
        made->set_pattern("%v");
        made->set_level(spdlog::level::trace);
        made->flush_on(spdlog::level::trace);
        return made;
    }();
    return *logger;
}

}  // namespace

bool parse_level(std::string_view text, Level& out) {
    for (Level level : {Level::Debug, Level::Info, Level::Warn, Level::Error}) {
        if (text == level_name(level)) {
            out = level;
            return true;
        }
    }
    return false;
}

void set_min_level(Level level) {
    g_min_level.store(level, std::memory_order_relaxed);
}

std::string format_line(Level level, std::string_view msg, boost::json::object fields) {
    boost::json::object line;
    line["ts"] = utc_timestamp();
    line["level"] = level_name(level);
    line["msg"] = msg;
    for (auto& field : fields) {
        line[field.key()] = std::move(field.value());
    }
    return boost::json::serialize(line);
}

bool enabled(Level level) {
    return level >= g_min_level.load(std::memory_order_relaxed);
}

void write(Level level, std::string_view msg, boost::json::object fields) {
    if (!enabled(level)) {
        return;
    }
    stdout_logger().info(format_line(level, msg, std::move(fields)));
}

}  // namespace imgline::log
