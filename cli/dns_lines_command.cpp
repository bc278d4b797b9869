#include "cli/dns_lines_command.h"

#include "cdn/dns_lines.h"
#include "cli/configuration.h"
#include "config/load_config.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

namespace imgline::cli {
namespace {

namespace fs = std::filesystem;

bool write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    return static_cast<bool>(out);
}

}  // namespace

int run_dns_lines(const DnsLinesArgs& args) {
    const auto loaded = load_configuration(args.config_path);
    if (report_config_problems(loaded.problems)) {
        return 2;
    }
    if (args.name.find('.') == std::string::npos) {
        std::cerr << "imgline: --name must be a host name like img.example.com\n";
        return 2;
    }
    const auto& config = loaded.config;
    const auto sources = config::effective_carrier_sources(config.carriers);
    std::vector<std::string> carriers;
    for (const auto& source : sources) {
        carriers.push_back(source.carrier);
    }
    const auto records = cdn::dns_line_records(config.edges, carriers);
    if (records.empty()) {
        std::cerr << "imgline: no edges are configured, so there is nothing to resolve to\n";
        return 2;
    }
    std::cout << "line\tcarrier\tname\ttype\ttarget\tweight\tedge\treason\n";
    for (const auto& record : records) {
        std::cout << record.line << "\t" << record.carrier << "\t" << args.name << "\t"
                  << record.type << "\t" << record.target << "\t" << record.weight << "\t"
                  << record.edge << "\t" << record.reason << "\n";
    }
    if (!args.bind_dir) {
        return 0;
    }
    std::vector<cdn::CarrierList> lists;
    for (const auto& source : sources) {
        for (const auto& file : source.files) {
            std::ifstream in(fs::path(config.carriers.data_dir) / file, std::ios::binary);
            if (!in) {
                std::cerr << "imgline: cannot read carrier list " << file << "\n";
                return 1;
            }
            std::ostringstream text;
            text << in.rdbuf();
            lists.push_back({source.carrier, file, text.str()});
        }
    }
    const fs::path dir = fs::absolute(*args.bind_dir);
    std::error_code ec;
    fs::create_directories(dir, ec);
    bool ok = write_text(dir / "named.conf.imgline",
                         cdn::bind_views(args.name, records, lists, dir.string()));
    std::vector<std::string> lines = carriers;
    lines.push_back("default");
    for (const auto& carrier : lines) {
        const bool used = std::any_of(records.begin(), records.end(), [&](const auto& record) {
            return record.carrier == carrier;
        });
        if (used) {
            const std::string zone = args.name.substr(args.name.find('.') + 1);
            ok = ok && write_text(dir / (zone + "." + carrier + ".zone"),
                                  cdn::bind_zone(args.name, carrier, records));
        }
    }
    if (!ok) {
        std::cerr << "imgline: cannot write into " << dir.string() << "\n";
        return 1;
    }
    std::cerr << "imgline: wrote " << (dir / "named.conf.imgline").string()
              << " and the zone files; include it in named.conf\n";
    return 0;
}

Command add_dns_lines_command(CLI::App& app) {
    auto args = std::make_shared<DnsLinesArgs>();
    auto* command = app.add_subcommand(
        "dns-lines",
        "Print the per-carrier DNS line records (默认/电信/联通/移动/教育网) that send each\n"
        "carrier's viewers to its edges, for a line-aware DNS service; --bind writes BIND\n"
        "views with carrier ACLs and one zone file per line.");
    command->add_option("--name", args->name, "Image host name, e.g. img.example.com")->required();
    command->add_option("--bind", args->bind_dir,
                        "Write named.conf.imgline and the zone files into DIR");
    add_config_option(*command, args->config_path);
    return {command, [args] { return run_dns_lines(*args); }};
}

}  // namespace imgline::cli
