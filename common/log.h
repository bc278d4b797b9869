#pragma once

#include <string_view>

#include <boost/json/object.hpp>

namespace imgline::log {

enum class Level { Debug, Info, Warn, Error };

/// Parses "debug", "info", "warn" or "error"; false for anything else.
bool parse_level(std::string_view text, Level& out);

/// Lines below this level are dropped. Default: Info. Thread-safe.
void set_min_level(Level level);

/// True when lines of `level` are written (so callers can skip building them).
bool enabled(Level level);

/// Writes one JSON object per line to stdout: {"ts","level","msg", ...fields}.
/// Escape-safe (built with Boost.JSON, never by string pasting). Thread-safe.
void write(Level level, std::string_view msg, boost::json::object fields = {});

inline void info(std::string_view msg, boost::json::object fields = {}) {
    write(Level::Info, msg, std::move(fields));
}

inline void warn(std::string_view msg, boost::json::object fields = {}) {
    write(Level::Warn, msg, std::move(fields));
}

inline void error(std::string_view msg, boost::json::object fields = {}) {
    write(Level::Error, msg, std::move(fields));
}

/// The line `write` would print, without the trailing newline (for tests).
std::string format_line(Level level, std::string_view msg, boost::json::object fields);

}  // namespace imgline::log
