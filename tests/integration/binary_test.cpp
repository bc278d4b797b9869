// The imgline binary as an operator runs it: flags, configuration errors, SIGTERM.
#include "common/sha256.h"
#include "tests/support/corpus.h"
#include "tests/support/http_client.h"
#include "tests/support/image_checks.h"
#include "tests/support/process.h"
#include "tests/support/test_server.h"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace imgline;
using namespace std::chrono_literals;

namespace {

const std::string kBinary = IMGLINE_BINARY;

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path) << text;
}

}  // namespace

TEST_CASE("imgline serve prints its URL, serves, and exits 0 on SIGTERM", "[binary]") {
    test::TempDir data;
    test::ChildProcess child(
        kBinary, {"serve", "--listen", "127.0.0.1:0", "--data", (data.path() / "store").string()});
    const auto line = child.wait_for_stderr_line("serving on http://", 20s);
    REQUIRE(line);
    const auto port = test::port_from_serving_line(*line);
    REQUIRE(test::request(port, "GET", "/healthz").result_int() == 200);
    REQUIRE(test::request(port, "GET", "/readyz").result_int() == 200);
    REQUIRE(std::filesystem::is_directory(data.path() / "store"));

    child.signal(SIGTERM);
    REQUIRE(child.wait(15s) == 0);
    // Every stdout line is one JSON object (the structured log).
    std::istringstream lines(child.stdout_text());
    int requests = 0;
    for (std::string text; std::getline(lines, text);) {
        const auto entry = boost::json::parse(text).as_object();
        REQUIRE(entry.contains("ts"));
        if (entry.at("msg") == "request") {
            ++requests;
            REQUIRE(entry.contains("request_id"));
            REQUIRE(entry.contains("status"));
        }
    }
    REQUIRE(requests == 2);
}

TEST_CASE("SIGHUP reloads the carrier lists without a restart", "[binary][carriers]") {
    test::TempDir data;
    const auto lists = data.path() / "carriers";
    std::filesystem::create_directories(lists);
    auto write_list = [&](const std::string& file, const std::string& text) {
        std::ofstream(lists / file) << text;
    };
    write_list("chinanet.txt", "203.0.113.0/24\n");
    for (const char* file : {"chinanet6.txt", "unicom.txt", "unicom6.txt", "cmcc.txt", "cmcc6.txt",
                             "cernet.txt", "cernet6.txt"}) {
        write_list(file, "");
    }
    test::ChildProcess child(
        kBinary, {"serve", "--listen", "127.0.0.1:0", "--data", (data.path() / "store").string()},
        {"IMGLINE_CARRIERS__DATA_DIR=" + lists.string(),
         "IMGLINE_CARRIERS__TRUSTED_PROXIES=127.0.0.1", "IMGLINE_CARRIERS__DEBUG_HEADER=true"});
    const auto line = child.wait_for_stderr_line("serving on http://", 20s);
    REQUIRE(line);
    const auto port = test::port_from_serving_line(*line);
    auto carrier_of_viewer = [&] {
        const std::string edge(test::request(port, "GET",
                                             "/go/" + std::string(64, 'a') + "/list.jpg",
                                             "X-Forwarded-For: 203.0.113.9\r\n")["X-Imgline-Edge"]);
        return edge.substr(edge.find("carrier="),
                           edge.find(';', edge.find("carrier=")) - edge.find("carrier="));
    };
    CHECK(carrier_of_viewer() == "carrier=telecom");
    write_list("chinanet.txt", "");
    write_list("unicom.txt", "203.0.113.0/24\n");
    child.signal(SIGHUP);
    std::string now;
    for (int i = 0; i < 100 && (now = carrier_of_viewer()) != "carrier=unicom"; ++i) {
        std::this_thread::sleep_for(50ms);
    }
    CHECK(now == "carrier=unicom");
    child.signal(SIGTERM);
    REQUIRE(child.wait(15s) == 0);
    CHECK(child.stdout_text().find("reloading on SIGHUP") != std::string::npos);
}

TEST_CASE("IMGLINE_LISTEN and IMGLINE_DATA_DIR configure the server without flags", "[binary]") {
    test::TempDir data;
    test::ChildProcess child(
        kBinary, {"serve"},
        {"IMGLINE_LISTEN=127.0.0.1:0", "IMGLINE_DATA_DIR=" + (data.path() / "env-store").string()});
    const auto line = child.wait_for_stderr_line("serving on http://", 20s);
    REQUIRE(line);
    REQUIRE(line->find("env-store") != std::string::npos);
    child.signal(SIGINT);
    REQUIRE(child.wait(15s) == 0);
}

TEST_CASE("a bad configuration is refused with every problem listed and exit code 2",
          "[binary][config]") {
    test::TempDir dir;
    const auto file = dir.path() / "bad.toml";
    write_file(file, R"(
[server]
listen = "nowhere"
io_threads = 0
colour = "blue"

[limits]
render_timeout = "soon"

[[presets]]
name = "Main Image"
fit = "stretch"
)");
    const auto result = test::run_command(kBinary, {"serve", "--config", file.string()});
    REQUIRE(result.exit_code == 2);
    for (const char* key : {"server.listen", "server.io_threads", "server.colour",
                            "limits.render_timeout", "presets[0].name", "presets[0].fit"}) {
        CAPTURE(key);
        CHECK(result.err.find(key) != std::string::npos);
    }
}

TEST_CASE("a configuration holding secrets that anyone may read is warned about",
          "[binary][config]") {
    test::TempDir dir;
    const auto file = dir.path() / "imgline.toml";
    write_file(file, "[signing]\nkeys = [\"k1:a-signing-secret-of-some-length\"]\n");
    std::filesystem::permissions(file, std::filesystem::perms(0644));
    const auto open =
        test::run_command(kBinary, {"serve", "--config", file.string(), "--check-config"});
    CHECK(open.exit_code == 0);
    CHECK(open.err.find("anyone on this machine can read it; chmod 640") != std::string::npos);
    std::filesystem::permissions(file, std::filesystem::perms(0640));
    const auto closed =
        test::run_command(kBinary, {"serve", "--config", file.string(), "--check-config"});
    CHECK(closed.exit_code == 0);
    CHECK(closed.err.find("chmod 640") == std::string::npos);
}

TEST_CASE("serve --print-config writes a file that loads back unchanged", "[binary][config]") {
    test::TempDir dir;
    const auto printed = test::run_command(kBinary, {"serve", "--print-config"});
    REQUIRE(printed.exit_code == 0);
    const auto file = dir.path() / "printed.toml";
    write_file(file, printed.out);
    const auto checked =
        test::run_command(kBinary, {"serve", "--config", file.string(), "--check-config"});
    CAPTURE(checked.err);
    REQUIRE(checked.exit_code == 0);
    const auto again =
        test::run_command(kBinary, {"serve", "--config", file.string(), "--print-config"});
    REQUIRE(again.out == printed.out);
}

TEST_CASE("imgline carrier answers from the lists that ship with it, with no flags and no config",
          "[binary][carriers]") {
    const auto china_telecom = test::run_command(kBinary, {"carrier", "1.12.14.1"});
    REQUIRE(china_telecom.exit_code == 0);
    CHECK(china_telecom.out.starts_with("1.12.14.1\ttelecom\t"));
    const auto china_mobile = test::run_command(kBinary, {"carrier", "2409:8a00::1"});
    REQUIRE(china_mobile.exit_code == 0);
    CHECK(china_mobile.out.find("\tmobile\t") != std::string::npos);
}

TEST_CASE("imgline --version names imgline and libvips, and --help lists serve", "[binary]") {
    const auto version = test::run_command(kBinary, {"--version"});
    REQUIRE(version.exit_code == 0);
    REQUIRE(version.out.find("imgline ") != std::string::npos);
    REQUIRE(version.out.find("libvips 8.") != std::string::npos);
    const auto help = test::run_command(kBinary, {"--help"});
    REQUIRE(help.exit_code == 0);
    REQUIRE(help.out.find("serve") != std::string::npos);
}

TEST_CASE("imgline render writes each file under the preset's budget and reports it as JSON",
          "[binary][render]") {
    test::TempDir out;
    const auto corpus = test::data_dir() / "corpus";
    const auto hostile = test::data_dir() / "corpus-hostile";
    const auto result = test::run_command(
        kBinary,
        {"render", (corpus / "mate__Dune.jpg").string(), (corpus / "rembg__car-2.out.png").string(),
         (hostile / "corkami__svg.svg").string(), "--preset", "list", "--format", "webp", "--out",
         out.path().string()},
        std::chrono::seconds(120));
    CAPTURE(result.out, result.err);
    REQUIRE(result.exit_code == 1);  // one input was refused
    std::istringstream lines(result.out);
    std::vector<boost::json::object> entries;
    for (std::string line; std::getline(lines, line);) {
        entries.push_back(boost::json::parse(line).as_object());
    }
    REQUIRE(entries.size() == 4);
    for (int i = 0; i < 2; ++i) {
        const auto& entry = entries[static_cast<std::size_t>(i)];
        REQUIRE(entry.contains("output"));
        CHECK(entry.at("budget_met") == true);
        CHECK(entry.at("bytes").to_number<std::int64_t>() <= 60 * 1024);
        const std::string bytes = test::read_bytes(std::string(entry.at("output").as_string()));
        CHECK(bytes.substr(8, 4) == "WEBP");
        CHECK(static_cast<std::int64_t>(bytes.size()) ==
              entry.at("bytes").to_number<std::int64_t>());
    }
    CHECK(entries[2].at("error") == "unsupported_media_type");
    const auto& summary = entries[3].at("summary").as_object();
    CHECK(summary.at("rendered") == 2);
    CHECK(summary.at("failed") == 1);
}

TEST_CASE("imgline check prints a report per photo and exits 1 when a fail-rule fails",
          "[binary][brand]") {
    const auto corpus = test::data_dir() / "corpus";
    const std::string cutout = (corpus / "rembg__car-2.out.png").string();
    const std::string landscape = (corpus / "recurser__Landscape_5.jpg").string();

    // The built-in default brand: the cut-out passes the white background, the landscape not.
    const auto table = test::run_command(kBinary, {"check", cutout, landscape});
    CAPTURE(table.out, table.err);
    CHECK(table.exit_code == 1);
    CHECK(table.out.find(cutout + "  brand default, role main") != std::string::npos);
    CHECK(table.out.find("Only 0% of the photo's edge is the brand background #ffffff") !=
          std::string::npos);

    const auto json = test::run_command(kBinary, {"check", "--json", "--role", "detail", cutout});
    CAPTURE(json.out);
    CHECK(json.exit_code == 0);  // the default brand has no rules for detail photos
    const auto line = boost::json::parse(json.out).as_object();
    CHECK(line.at("report").at("role") == "detail");
    CHECK(line.at("report").at("verdict") == "pass");

    CHECK(test::run_command(kBinary, {"check", "--brand", "nope", cutout}).exit_code == 2);
    CHECK(test::run_command(kBinary, {"check", "--role", "hero", cutout}).exit_code == 2);
}

TEST_CASE("imgline import uploads a folder, reports refusals, and resumes without re-uploading",
          "[binary][import]") {
    test::TestServer server([](config::Config& config) {
        config.parties = {{"supplier", "acme", {sha256_hex("import-key")}, ""}};
    });
    test::TempDir folder;
    const auto corpus = test::data_dir() / "corpus";
    std::filesystem::create_directories(folder.path() / "SKU-1");
    std::filesystem::create_directories(folder.path() / "SKU-2" / "more");
    std::filesystem::copy_file(corpus / "mate__Dune.jpg", folder.path() / "SKU-1" / "a.jpg");
    std::filesystem::copy_file(corpus / "sharp__4.webp", folder.path() / "SKU-2" / "b.webp");
    std::filesystem::copy_file(corpus / "rembg__car-2.out.png",
                               folder.path() / "SKU-2" / "more" / "c.png");
    write_file(folder.path() / "SKU-2" / "notes.txt", "not a photo");
    const std::string url = "http://127.0.0.1:" + std::to_string(server.port());
    const std::vector<std::string> args{
        "import", folder.path().string(), "--server", url, "--key", "import-key", "--jobs",
        "2",      "--sku-from-folder"};
    const auto first = test::run_command(kBinary, args, std::chrono::seconds(120));
    CAPTURE(first.out, first.err);
    CHECK(first.exit_code == 1);
    CHECK(first.out.find("files 4, stored 3, already present 0, refused 1") != std::string::npos);
    CHECK(first.err.find("notes.txt: unsupported_media_type") != std::string::npos);
    const auto page = server.store().list("acme", "SKU-1", "", 10);
    REQUIRE(page);
    CHECK(page->items.size() == 1);

    const auto again = test::run_command(kBinary, args, std::chrono::seconds(120));
    CHECK(again.out.find("files 4, stored 0, already present 3, refused 1") != std::string::npos);

    const auto wrong_key = test::run_command(
        kBinary, {"import", folder.path().string(), "--server", url, "--key", "nope"});
    CHECK(wrong_key.exit_code == 1);
    CHECK(wrong_key.err.find("unauthorized") != std::string::npos);
}

TEST_CASE("imgline sign prints a URL the server accepts", "[binary][sign]") {
    test::TestServer server([](config::Config& config) {
        config.parties = {{"supplier", "acme", {sha256_hex("sign-key")}, ""}};
        config.signing.keys = {"k1:first-secret-0123456789"};
    });
    const auto uploaded =
        test::request(server.port(), "POST", "/v1/originals",
                      "Authorization: Bearer sign-key\r\nContent-Type: image/jpeg\r\n",
                      test::read_bytes(test::data_dir() / "corpus" / "mate__Dune.jpg"));
    REQUIRE(uploaded.result_int() == 201);
    const std::string id(boost::json::parse(uploaded.body()).at("id").as_string());
    const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
    test::ChildProcess sign(
        kBinary,
        {"sign", "w:200/h:200/fit:pad/" + id + ".jpg", "--expires-in", "600", "--base", base},
        {"IMGLINE_SIGNING__KEYS=k1:first-secret-0123456789"});
    REQUIRE(sign.wait(30s) == 0);
    const std::string url = sign.stdout_text().substr(0, sign.stdout_text().find('\n'));
    REQUIRE(url.starts_with(base + "/t/k1."));
    CHECK(url.find("/exp:") != std::string::npos);
    const auto served = test::request(server.port(), "GET", url.substr(base.size()));
    CHECK(served.result_int() == 200);
    CHECK(test::decode(served.body()).width == 200);

    const auto refused = test::run_command(kBinary, {"sign", "w:0/" + id + ".jpg"});
    CHECK(refused.exit_code == 2);  // no key configured, or bad options: never a bad URL
}

TEST_CASE("imgline render never writes two inputs to one output name", "[binary][render]") {
    test::TempDir in;
    test::TempDir out;
    const std::string photo = test::read_bytes(test::data_dir() / "corpus" / "mate__Dune.jpg");
    std::filesystem::create_directories(in.path() / "a");
    std::filesystem::create_directories(in.path() / "b");
    for (const char* name : {"a/shoe.jpg", "b/shoe.jpg", "b/shoe.jpeg"}) {
        std::ofstream(in.path() / name, std::ios::binary) << photo;
    }
    const auto result = test::run_command(
        kBinary,
        {"render", (in.path() / "a/shoe.jpg").string(), (in.path() / "b/shoe.jpg").string(),
         (in.path() / "b/shoe.jpeg").string(), "--preset", "thumb", "--format", "jpeg", "--out",
         out.path().string()},
        std::chrono::seconds(120));
    CAPTURE(result.out, result.err);
    REQUIRE(result.exit_code == 0);
    std::istringstream lines(result.out);
    std::set<std::string> outputs;
    for (std::string line; std::getline(lines, line);) {
        const auto entry = boost::json::parse(line).as_object();
        if (entry.contains("output")) {
            const std::string output(entry.at("output").as_string());
            CHECK(std::filesystem::exists(output));
            outputs.insert(std::filesystem::path(output).filename().string());
        }
    }
    CHECK(outputs ==
          std::set<std::string>{"shoe.thumb.jpg", "shoe.jpg.thumb.jpg", "shoe.jpeg.thumb.jpg"});
}

TEST_CASE("under ulimit -n 64 the server fits its connections and cache into the limit",
          "[binary][limits]") {
    test::TempDir data;
    // dash's ulimit sets the hard limit too: the server cannot raise it, only fit into it.
    test::ChildProcess child(
        "/bin/sh",
        {"-c", "ulimit -n 64 && exec " + kBinary + " serve --listen 127.0.0.1:0 --data " +
                   (data.path() / "store").string()},
        {"IMGLINE_PARTIES=supplier:acme:acme-key"});
    const auto line = child.wait_for_stderr_line("serving on http://", 20s);
    REQUIRE(line);
    const auto port = test::port_from_serving_line(*line);
    const std::string photo = test::read_bytes(test::data_dir() / "corpus" / "mate__Blinds.jpg");
    const auto stored =
        test::request(port, "POST", "/v1/originals",
                      "Authorization: Bearer acme-key\r\nContent-Type: image/jpeg\r\n", photo);
    REQUIRE(stored.result_int() == 201);
    const std::string id = sha256_hex(photo);
    // Twice as many connections as the descriptors allow, all held open, with renditions
    // filling the memory cache meanwhile.
    std::vector<std::unique_ptr<test::RawClient>> held;
    for (int i = 0; i < 64; ++i) {
        held.push_back(std::make_unique<test::RawClient>(port));
        const char* presets[] = {"thumb", "list", "main", "detail"};
        const std::string preset = presets[(i / 2) % 4];
        const std::string format = i % 2 == 0 ? ".webp" : ".jpg";
        REQUIRE(held.back()->send("GET /i/" + id + "/" + preset + format +
                                  " HTTP/1.1\r\nHost: t\r\n\r\n"));
        const auto answer = held.back()->read_response(20s);
        REQUIRE(answer);
        CAPTURE(answer->result_int(), answer->body());
        CHECK((answer->result_int() == 200 || answer->result_int() == 503));
    }
    CHECK(test::request(port, "GET", "/healthz").result_int() == 200);
    CHECK(test::request(port, "GET", "/readyz").result_int() == 200);
    held.clear();
    child.signal(SIGTERM);
    REQUIRE(child.wait(15s) == 0);
    CHECK(child.stdout_text().find("the file descriptor limit is too low") != std::string::npos);
    CHECK(child.stdout_text().find("accept failed") == std::string::npos);  // never EMFILE
}
