// imgline: the composition root. Parses the command line and hands each subcommand its
// arguments; nothing else in the program knows every module.
#include "cli/carrier_command.h"
#include "cli/check_command.h"
#include "cli/dns_lines_command.h"
#include "cli/edge_config_command.h"
#include "cli/import_command.h"
#include "cli/migrate_command.h"
#include "cli/render_command.h"
#include "cli/rerender_command.h"
#include "cli/serve_command.h"
#include "cli/sign_command.h"
#include "common/version.h"
#include "pipeline/capabilities.h"
#include "pipeline/vips_runtime.h"

#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/version.hpp>

namespace {

int print_version(const char* program) {
    const std::string boost = std::to_string(BOOST_VERSION / 100000) + "." +
                              std::to_string(BOOST_VERSION / 100 % 1000) + "." +
                              std::to_string(BOOST_VERSION % 100);
    std::cout << "imgline " << imgline::version() << "\n"
              << "libvips " << imgline::pipeline::libvips_version() << "\n"
              << "boost " << boost << "\n";
    if (auto started = imgline::pipeline::start_vips(program, 1); started) {
        std::cout << "formats " << imgline::pipeline::describe_formats() << "\n";
        imgline::pipeline::stop_vips();
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "imgline: an image server for supplier product photos. It keeps the originals, renders\n"
        "storefront images under a byte budget, and serves them as the origin of per-carrier\n"
        "CDN edges."};
    bool show_version = false;
    app.add_flag("--version", show_version,
                 "Print the versions of imgline and its libraries, and the image formats this "
                 "build can read and write");
    app.require_subcommand(0, 1);

    const std::vector<imgline::cli::Command> commands{
        imgline::cli::add_serve_command(app, argv[0]),
        imgline::cli::add_render_command(app, argv[0]),
        imgline::cli::add_check_command(app, argv[0]),
        imgline::cli::add_carrier_command(app),
        imgline::cli::add_edge_config_command(app),
        imgline::cli::add_dns_lines_command(app),
        imgline::cli::add_import_command(app),
        imgline::cli::add_migrate_command(app),
        imgline::cli::add_rerender_command(app),
        imgline::cli::add_sign_command(app),
    };

    CLI11_PARSE(app, argc, argv);

    if (show_version) {
        return print_version(argv[0]);
    }
    for (const auto& command : commands) {
        if (command.app->parsed()) {
            return command.run();
        }
    }
    std::cout << app.help();
    return 2;
}
