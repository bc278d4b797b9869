// imgline: the composition root. Parses the command line and hands each subcommand its
// arguments; nothing else in the program knows every module.
#include "cli/carrier_command.h"
#include "cli/check_command.h"
#include "cli/dns_lines_command.h"
#include "cli/edge_config_command.h"
#include "cli/import_command.h"
#include "cli/render_command.h"
#include "cli/serve_command.h"
#include "cli/sign_command.h"
#include "common/version.h"
#include "pipeline/capabilities.h"
#include "pipeline/vips_runtime.h"

#include <iostream>
#include <string>

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

    imgline::cli::RenderArgs render;
    auto* render_command = app.add_subcommand(
        "render",
        "Render image files (or whole folders) through a preset under its byte budget, and\n"
        "print one JSON line per file (bytes, size, quality, encodes, budget_met, ms).");
    render_command->add_option("inputs", render.inputs, "Image files or folders")->required();
    render_command->add_option("--preset", render.preset, "Preset name (default: detail)");
    render_command->add_option("--format", render.format,
                               "jpeg, webp, avif or png (default: the preset's first format)");
    render_command->add_option("--out", render.out_dir,
                               "Folder for the results, named <file>.<preset>.<ext> (default: .)");
    render_command->add_option("--config", render.config_path, "TOML configuration file")
        ->envname("IMGLINE_CONFIG");

    imgline::cli::CheckArgs check;
    auto* check_command = app.add_subcommand(
        "check",
        "Check photos against a brand's style rules (size, shape, background, framing,\n"
        "sharpness, exposure, colour space, format) and print a report per file. Exit code 1\n"
        "when any photo fails a rule.");
    check_command->add_option("inputs", check.inputs, "Image files or folders")->required();
    check_command->add_option("--brand", check.brand,
                              "Brand name from the configuration (default: the default brand)");
    check_command->add_option("--role", check.role,
                              "main, detail, size_chart, ad or other (default: main)");
    check_command->add_flag("--json", check.json, "Print one JSON line per file");
    check_command->add_option("--config", check.config_path, "TOML configuration file")
        ->envname("IMGLINE_CONFIG");

    imgline::cli::CarrierArgs carrier;
    auto* carrier_command = app.add_subcommand(
        "carrier",
        "Show which carrier line IP addresses are on (telecom, unicom, mobile, edu, ... or\n"
        "default), with the matching prefix and the list it comes from.");
    carrier_command->add_option("addresses", carrier.addresses, "IPv4 or IPv6 addresses")
        ->required();
    carrier_command->add_option("--data-dir", carrier.data_dir,
                                "Folder of carrier lists (default: carriers.data_dir)");
    carrier_command->add_option("--config", carrier.config_path, "TOML configuration file")
        ->envname("IMGLINE_CONFIG");

    imgline::cli::EdgeConfigArgs edge_config;
    auto* edge_config_command = app.add_subcommand(
        "edge-config",
        "Write the nginx configuration of one configured edge: its own proxy_cache, one origin\n"
        "fetch per image, stale-while-down, revalidation, purges from the origin, and\n"
        "secure_link checks when the edge wants signed URLs.");
    edge_config_command->add_option("--edge", edge_config.edge, "Edge name from [[edges]]")
        ->required();
    edge_config_command->add_option(
        "--dir", edge_config.dir,
        "Write DIR/nginx.conf and make DIR/tmp and DIR/cache (default: print it)");
    edge_config_command->add_option(
        "--origin", edge_config.origin,
        "Origin HOST:PORT (default: from server.public_base_url or server.listen)");
    edge_config_command->add_option("--listen", edge_config.listen,
                                    "ADDR:PORT to listen on (default: from the edge's base_url)");
    edge_config_command->add_option("--purge-from", edge_config.purge_from,
                                    "Address allowed to purge (default: 127.0.0.1)");
    edge_config_command->add_option("--cache-size", edge_config.cache_size,
                                    "Largest cache on disk (default: 1g)");
    edge_config_command->add_option("--config", edge_config.config_path, "TOML configuration file")
        ->envname("IMGLINE_CONFIG");

    imgline::cli::DnsLinesArgs dns_lines;
    auto* dns_lines_command = app.add_subcommand(
        "dns-lines",
        "Print the per-carrier DNS line records (默认/电信/联通/移动/教育网) that send each\n"
        "carrier's viewers to its edges, for a line-aware DNS service; --bind writes BIND\n"
        "views with carrier ACLs and one zone file per line.");
    dns_lines_command->add_option("--name", dns_lines.name, "Image host name, e.g. img.example.com")
        ->required();
    dns_lines_command->add_option("--bind", dns_lines.bind_dir,
                                  "Write named.conf.imgline and the zone files into DIR");
    dns_lines_command->add_option("--config", dns_lines.config_path, "TOML configuration file")
        ->envname("IMGLINE_CONFIG");

    imgline::cli::ImportArgs import;
    auto* import_command = app.add_subcommand(
        "import",
        "Upload a folder of photos to an imgline server (recursively, in parallel). Files the\n"
        "server already has are skipped, so an interrupted import can simply be run again.");
    import_command->add_option("folder", import.folder, "Folder of photos")->required();
    import_command
        ->add_option("--server", import.server_url, "Server URL, e.g. http://127.0.0.1:8080")
        ->required()
        ->envname("IMGLINE_SERVER");
    import_command->add_option("--key", import.key, "Your API key (also IMGLINE_KEY)")
        ->envname("IMGLINE_KEY");
    import_command->add_option("--jobs", import.jobs, "Uploads in parallel (default 4)");
    import_command->add_option("--sku", import.sku, "SKU for every file");
    import_command->add_flag("--sku-from-folder", import.sku_from_folder,
                             "Use each file's folder name as its SKU (photos/SKU123/1.jpg)");
    import_command->add_option("--role", import.role,
                               "Role for every file: main, detail, size_chart, ad or other");

    imgline::cli::SignArgs sign;
    auto* sign_command =
        app.add_subcommand("sign",
                           "Print the signed URL of an ad-hoc transform, e.g.\n"
                           "  imgline sign 'w:800/h:600/fit:fill/<id>.webp' --expires-in 86400");
    sign_command->add_option("path", sign.path, "Options and <id>.<format>")->required();
    sign_command->add_option("--key-id", sign.key_id, "Signing key to use (default: the first)");
    sign_command->add_option("--expires-in", sign.expires_in,
                             "Seconds until the URL stops working (adds exp:)");
    sign_command->add_option("--base", sign.base_url,
                             "Base URL (default: server.public_base_url or http://127.0.0.1:8080)");
    sign_command->add_option("--config", sign.config_path, "TOML configuration file")
        ->envname("IMGLINE_CONFIG");

    CLI11_PARSE(app, argc, argv);

    if (show_version) {
        return print_version(argv[0]);
    }
    if (serve_command->parsed()) {
        return imgline::cli::run_serve(serve, argv[0]);
    }
    if (render_command->parsed()) {
        return imgline::cli::run_render(render, argv[0]);
    }
    if (check_command->parsed()) {
        return imgline::cli::run_check(check, argv[0]);
    }
    if (carrier_command->parsed()) {
        return imgline::cli::run_carrier(carrier);
    }
    if (edge_config_command->parsed()) {
        return imgline::cli::run_edge_config(edge_config);
    }
    if (dns_lines_command->parsed()) {
        return imgline::cli::run_dns_lines(dns_lines);
    }
    if (import_command->parsed()) {
        return imgline::cli::run_import(import);
    }
    if (sign_command->parsed()) {
        return imgline::cli::run_sign(sign);
    }
    std::cout << app.help();
    return 2;
}
