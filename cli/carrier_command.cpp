#include "cli/carrier_command.h"

#include "app/carrier_directory.h"
#include "cli/configuration.h"
#include "config/load_config.h"

#include <iostream>

#include <CLI/CLI.hpp>

namespace imgline::cli {

int run_carrier(const CarrierArgs& args) {
    auto loaded = load_configuration(args.config_path, [&](config::Config& config) {
        if (args.data_dir) {
            config.carriers.data_dir = *args.data_dir;
        }
    });
    if (report_config_problems(loaded.problems)) {
        return 2;
    }
    if (loaded.config.carriers.data_dir.empty()) {
        std::cerr << "imgline: no carrier lists: set carriers.data_dir or pass --data-dir\n";
        return 2;
    }
    app::CarrierDirectory directory(loaded.config.carriers);
    const auto load = directory.load();
    for (const auto& problem : load.problems) {
        std::cerr << "imgline: " << problem << "\n";
    }
    if (!load.swapped) {
        return 1;
    }
    std::cerr << "imgline: " << load.prefixes << " prefixes in " << load.intervals
              << " intervals, loaded in " << static_cast<int>(load.milliseconds + 0.5) << " ms\n";
    const auto table = directory.table();
    int status = 0;
    for (const auto& text : args.addresses) {
        const auto address = cdn::parse_ip(text);
        if (!address) {
            std::cerr << "imgline: '" << text << "' is not an IP address\n";
            status = 2;
            continue;
        }
        const auto match = table->lookup(*address);
        std::cout << text << "\t" << match.carrier;
        if (!match.prefix.empty()) {
            std::cout << "\t" << match.prefix << "\t" << match.source;
        }
        for (const auto other : match.also) {
            std::cout << "\talso:" << other;
        }
        std::cout << "\n";
    }
    return status;
}

Command add_carrier_command(CLI::App& app) {
    auto args = std::make_shared<CarrierArgs>();
    auto* command = app.add_subcommand(
        "carrier",
        "Show which carrier line IP addresses are on (telecom, unicom, mobile, edu, ... or\n"
        "default), with the matching prefix and the list it comes from.");
    command->add_option("addresses", args->addresses, "IPv4 or IPv6 addresses")->required();
    command->add_option("--data-dir", args->data_dir,
                        "Folder of carrier lists (default: carriers.data_dir)");
    add_config_option(*command, args->config_path);
    return {command, [args] { return run_carrier(*args); }};
}

}  // namespace imgline::cli
