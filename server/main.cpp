// imgline: the composition root. Parses the command line and hands each subcommand its
// arguments; nothing else in the program knows every module.
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <boost/version.hpp>

#include "common/version.h"
#include "pipeline/vips_runtime.h"
#include "server/cli/serve_command.h"

namespace {

std::string version_text() {
    std::string boost = std::to_string(BOOST_VERSION / 100000) + "." +
                        std::to_string(BOOST_VERSION / 100 % 1000) + "." +
                        std::to_string(BOOST_VERSION % 100);
    return "imgline " + std::string(imgline::version()) + "\n" +
           "libvips " + imgline::pipeline::libvips_version() + "\n" + "boost " + boost;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "imgline: an image server for supplier product photos. It keeps the originals, renders\n"
        "storefront images under a byte budget, and serves them as the origin of per-carrier\n"
        "CDN edges."};
    app.set_version_flag("--version", version_text());
    app.require_subcommand(1);

    imgline::cli::ServeArgs serve;
    auto* serve_command = app.add_subcommand(
        "serve", "Run the HTTP server (built-in defaults: port 8080, data in ./data).");
    serve_command->add_option("--config", serve.config_path, "TOML configuration file")
        ->envname("IMGLINE_CONFIG");
    serve_command->add_option("--listen", serve.listen,
                              "Address and port, e.g. 127.0.0.1:8080 (also IMGLINE_LISTEN)");
    serve_command->add_option("--data", serve.data_dir,
                              "Data directory for local storage (also IMGLINE_DATA_DIR)");
    serve_command->add_flag("--print-config", serve.print_config,
                            "Print the effective configuration as TOML and exit");
    serve_command->add_flag("--check-config", serve.check_config,
                            "Check the configuration, report every problem, and exit");

    CLI11_PARSE(app, argc, argv);

    if (serve_command->parsed()) {
        return imgline::cli::run_serve(serve, argv[0]);
    }
    return 0;
}
