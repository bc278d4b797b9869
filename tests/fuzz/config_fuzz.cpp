// libFuzzer target for the config loader (config::load_config_text + IMGLINE_* variables):
// lines before a line "---" are variables NAME=value, the rest is TOML. Loading and validating
// must report problems, never crash; print_config of a loaded config must load again.
#include "config/load_config.h"
#include "config/validate_config.h"
#include "tests/fuzz/fuzz_input.h"

#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace imgline::config;
    std::string_view text = imgline::fuzz::as_text(data, size);
    Environment env;
    if (const auto split = text.find("\n---\n"); split != std::string_view::npos) {
        std::string_view vars = text.substr(0, split);
        text = text.substr(split + 5);
        while (!vars.empty()) {
            auto [line, rest] = imgline::fuzz::split_first_line(vars);
            vars = rest;
            if (const auto equals = line.find('='); equals != std::string_view::npos) {
                env[std::string(line.substr(0, equals))] = std::string(line.substr(equals + 1));
            }
        }
    }
    auto loaded = load_config_text(text, "fuzz.toml", env);
    const auto problems = validate(loaded.config);
    if (loaded.problems.empty() && problems.empty()) {
        const auto again = load_config_text(print_config(loaded.config), "printed.toml", {});
        (void)again;
    }
    return 0;
}
