#include "cli/import_command.h"

#include "cli/input_files.h"
#include "cli/progress.h"
#include "common/sha256.h"
#include "server/http_client.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace imgline::cli {
namespace {

namespace fs = std::filesystem;
using server::HttpAnswer;
using server::HttpClient;

enum class Outcome { Stored, AlreadyPresent, Refused };

struct Result {
    Outcome outcome = Outcome::Refused;
    std::string reason;
};

std::vector<fs::path> files_under(const std::string& folder) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (it->is_regular_file(ec) && !name.starts_with(".")) {
            files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string query_for(const ImportArgs& args, const fs::path& file) {
    std::string query;
    auto add = [&](std::string_view key, const std::string& value) {
        if (!value.empty()) {
            query += (query.empty() ? "?" : "&") + std::string(key) + "=" +
                     boost::urls::encode(value, boost::urls::unreserved_chars);
        }
    };
    add("sku", args.sku_from_folder ? file.parent_path().filename().string() : args.sku);
    add("role", args.role);
    return query;
}

std::string reason_of(const HttpAnswer& answer) {
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(answer.body, ec);
    if (!ec && parsed.is_object() && parsed.as_object().contains("error")) {
        const auto& error = parsed.at("error");
        return std::string(error.at("code").as_string()) + ": " +
               std::string(error.at("message").as_string());
    }
    return "HTTP " + std::to_string(answer.status);
}

Result import_one(HttpClient& client, const ImportArgs& args, const fs::path& file) {
    const auto read = read_file(file);
    if (!read) {
        return {Outcome::Refused, "cannot read the file"};
    }
    const std::string& body = *read;
    const std::string authorization = "Bearer " + args.key;
    // Resumable: ask first whether the server already has these exact bytes for us.
    auto known = client.send("GET", "/v1/originals/" + sha256_hex(body), authorization, "", "");
    if (!known) {
        return {Outcome::Refused, known.error().public_message};
    }
    if (known->status == 200) {
        return {Outcome::AlreadyPresent, {}};
    }
    if (known->status == 401) {
        return {Outcome::Refused, reason_of(*known)};
    }
    auto stored = client.send("POST", "/v1/originals" + query_for(args, file), authorization,
                              "application/octet-stream", body);
    if (!stored) {
        return {Outcome::Refused, stored.error().public_message};
    }
    if (stored->status == 201) {
        return {Outcome::Stored, {}};
    }
    if (stored->status == 200) {
        return {Outcome::AlreadyPresent, {}};
    }
    return {Outcome::Refused, reason_of(*stored)};
}

}  // namespace

int run_import(const ImportArgs& args) {
    if (args.key.empty()) {
        std::cerr << "imgline: an API key is needed (--key or IMGLINE_KEY)\n";
        return 2;
    }
    if (!fs::is_directory(args.folder)) {
        std::cerr << "imgline: '" << args.folder << "' is not a folder\n";
        return 2;
    }
    if (auto probe = HttpClient::create(args.server_url); !probe) {
        std::cerr << "imgline: " << probe.error().public_message << "\n";
        return 2;
    }
    const auto files = files_under(args.folder);
    ProgressLine progress(files.size());
    std::mutex output;
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> stored{0};
    std::atomic<std::size_t> present{0};
    std::atomic<std::size_t> refused{0};
    auto work = [&] {
        auto client = HttpClient::create(args.server_url);
        for (std::size_t i = next++; i < files.size(); i = next++) {
            const Result result = import_one(*client, args, files[i]);
            std::lock_guard lock(output);
            switch (result.outcome) {
                case Outcome::Stored:
                    ++stored;
                    break;
                case Outcome::AlreadyPresent:
                    ++present;
                    break;
                case Outcome::Refused:
                    ++refused;
                    progress.finish_line();
                    std::cerr << "refused: " << files[i].string() << ": " << result.reason << "\n";
                    break;
            }
            progress.advance(result.outcome == Outcome::Refused);
        }
    };
    std::vector<std::thread> workers;
    const int jobs = std::clamp(args.jobs, 1, 32);
    for (int i = 0; i < jobs; ++i) {
        workers.emplace_back(work);
    }
    for (auto& worker : workers) {
        worker.join();
    }
    progress.finish();
    std::cout << "files " << files.size() << ", stored " << stored << ", already present "
              << present << ", refused " << refused << "\n";
    return refused > 0 ? 1 : 0;
}

Command add_import_command(CLI::App& app) {
    auto args = std::make_shared<ImportArgs>();
    auto* command = app.add_subcommand(
        "import",
        "Upload a folder of photos to an imgline server (recursively, in parallel). Files the\n"
        "server already has are skipped, so an interrupted import can simply be run again.");
    command->add_option("folder", args->folder, "Folder of photos")->required();
    command->add_option("--server", args->server_url, "Server URL, e.g. http://127.0.0.1:8080")
        ->required()
        ->envname("IMGLINE_SERVER");
    command->add_option("--key", args->key, "Your API key (also IMGLINE_KEY)")
        ->envname("IMGLINE_KEY");
    command->add_option("--jobs", args->jobs, "Uploads in parallel (default 4)");
    command->add_option("--sku", args->sku, "SKU for every file");
    command->add_flag("--sku-from-folder", args->sku_from_folder,
                      "Use each file's folder name as its SKU (photos/SKU123/1.jpg)");
    command->add_option("--role", args->role,
                        "Role for every file: main, detail, size_chart, ad or other");
    return {command, [args] { return run_import(*args); }};
}

}  // namespace imgline::cli
