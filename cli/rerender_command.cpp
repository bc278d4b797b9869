#include "cli/rerender_command.h"

#include "cli/progress.h"
#include "server/http_client.h"

#include <iostream>
#include <optional>
#include <thread>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

namespace imgline::cli {
namespace {

using server::HttpClient;

std::int64_t number(const boost::json::object& status, const char* field) {
    const auto* value = status.if_contains(field);
    return value != nullptr && value->is_number() ? value->to_number<std::int64_t>() : 0;
}

std::string message_of(const server::HttpAnswer& answer) {
    boost::system::error_code ec;
    const auto body = boost::json::parse(answer.body, ec);
    if (!ec && body.is_object()) {
        if (const auto* error = body.as_object().if_contains("error");
            error != nullptr && error->is_object() && error->as_object().contains("message")) {
            return std::string(error->at("message").as_string());
        }
    }
    return "HTTP " + std::to_string(answer.status);
}

}  // namespace

int run_rerender(const RerenderArgs& args) {
    if (args.key.empty()) {
        std::cerr << "imgline: an admin's API key is needed (--key or IMGLINE_KEY)\n";
        return 2;
    }
    auto client = HttpClient::create(args.server_url);
    if (!client) {
        std::cerr << "imgline: " << client.error().public_message << "\n";
        return 2;
    }
    std::string presets;
    for (const auto& preset : args.presets) {
        presets += (presets.empty() ? "" : ",") + preset;
    }
    const std::string bearer = "Bearer " + args.key;
    const std::string target = "/v1/admin/rerender?presets=" + presets +
                               "&per_second=" + std::to_string(args.per_second) +
                               "&all=" + (args.all ? "true" : "false");
    auto started = client->send("POST", target, bearer, "", "");
    if (!started) {
        std::cerr << "imgline: " << started.error().public_message << "\n";
        return 2;
    }
    if (started->status != 202) {
        std::cerr << "imgline: the server refused: " << message_of(*started) << "\n";
        return 2;
    }
    std::optional<ProgressLine> progress;
    std::int64_t shown = 0;
    boost::json::object status;
    for (;;) {
        auto answer = client->send("GET", "/v1/admin/rerender", bearer, "", "");
        if (!answer || answer->status != 200) {
            std::cerr << "imgline: lost the server: "
                      << (answer ? message_of(*answer) : answer.error().public_message) << "\n";
            return 1;
        }
        status = boost::json::parse(answer->body).as_object();
        const auto done = number(status, "done");
        if (args.all) {
            // Every original: how many is not known ahead, so a count every 50.
            if (done / 50 > shown / 50) {
                std::cerr << "re-rendered " << done << " so far\n";
            }
            shown = done;
        } else {
            if (!progress) {
                progress.emplace(static_cast<std::size_t>(number(status, "planned")));
            }
            for (; shown < done; ++shown) {
                progress->advance(false);
            }
        }
        if (status.at("state") != "running") {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    if (progress) {
        progress->finish();
    }
    std::cout << "re-render " << std::string_view(status.at("state").as_string()) << ": rendered "
              << number(status, "rendered") << ", already there " << number(status, "already_there")
              << ", failed " << number(status, "failed") << "\n";
    return status.at("state") == "done" && number(status, "failed") == 0 ? 0 : 1;
}

Command add_rerender_command(CLI::App& app) {
    auto args = std::make_shared<RerenderArgs>();
    auto* command = app.add_subcommand(
        "rerender",
        "Re-render the renditions of presets on a running server after a style change (a new\n"
        "preset size or budget, new brand rules), so viewers of the new URLs find them ready:\n"
        "what viewers asked for most first, at most --per-second renders a second, in the\n"
        "background. Follows the progress until the server is done. Needs an admin's key.");
    command->add_option("--server", args->server_url, "Server URL, e.g. http://127.0.0.1:8080")
        ->required()
        ->envname("IMGLINE_SERVER");
    command->add_option("--key", args->key, "An admin's API key (also IMGLINE_KEY)")
        ->envname("IMGLINE_KEY");
    command->add_option("--preset", args->presets, "A preset to re-render (repeat for several)")
        ->required();
    command->add_option("--per-second", args->per_second,
                        "Renders started per second at most, 0.1 to 100 (default 2)");
    command->add_flag("--all", args->all,
                      "After what viewers asked for, every original of every party too");
    return {command, [args] { return run_rerender(*args); }};
}

}  // namespace imgline::cli
