// A style change reaching the edges without per-URL purges: the real binary behind a real nginx
// edge; the configuration file changes a preset and the server gets SIGHUP (or an admin asks
// POST /v1/admin/reload). Embeds then hand out URLs with the preset's new version, the edge
// fetches the new rendition for them, and the old URLs keep answering with an image.
#include "common/sha256.h"
#include "tests/support/corpus.h"
#include "tests/support/http_client.h"
#include "tests/support/image_checks.h"
#include "tests/support/nginx_edge.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

#include <csignal>
#include <fstream>
#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace imgline;
using namespace std::chrono_literals;

namespace {

const std::string kAcme = "Authorization: Bearer acme-key-1234\r\n";
const std::string kOps = "Authorization: Bearer ops-key-12345\r\n";

// The configuration file: one edge, and the list preset `list_width` wide (plus `more`).
void write_config(const std::filesystem::path& file,
                  const std::string& edge_base,
                  int list_width,
                  const std::string& more = {}) {
    std::ofstream out(file);
    out << "[[edges]]\nname = \"any\"\ncarrier = \"default\"\nbase_url = \"" << edge_base
        << "\"\n\n[[presets]]\nname = \"list\"\nwidth = " << list_width
        << "\nheight = " << list_width
        << "\nfit = \"fit\"\nformats = [\"jpeg\"]\nmax_bytes = \"60KiB\"\n"
        << more;
}

// The list preset's jpeg URL in /v1/embed's answer for `id`.
std::string embed_url(unsigned short port, const std::string& id) {
    const auto embed = test::request(port, "GET", "/v1/embed/" + id);
    REQUIRE(embed.result_int() == 200);
    const auto body = boost::json::parse(embed.body());
    return std::string(body.at("presets").at(0).at("urls").at("jpeg").as_string());
}

// "http://127.0.0.2:PORT/i/…" → the path.
std::string path_of(const std::string& url) {
    return url.substr(url.find('/', 7));
}

}  // namespace

TEST_CASE("a preset change and SIGHUP: new URLs, new renditions at the edge, old URLs still work",
          "[integration][edges][nginx][versions]") {
    test::ensure_vips();
    test::TempDir folder;
    test::NginxEdge edge("any", "default", "127.0.0.2");
    const auto config_file = folder.path() / "imgline.toml";
    write_config(config_file, edge.base(), 480, "\n[[presets]]\nname = \"zoom\"\n");
    test::ChildProcess origin(
        IMGLINE_BINARY,
        {"serve", "--config", config_file.string(), "--listen", "127.0.0.1:0", "--data",
         (folder.path() / "data").string()},
        {"IMGLINE_PARTIES=supplier:acme:acme-key-1234,admin:ops:ops-key-12345"});
    const auto line = origin.wait_for_stderr_line("serving on http://", 20s);
    REQUIRE(line);
    const auto port = test::port_from_serving_line(*line);
    edge.configure(folder.path(), config_file, {"127.0.0.1:" + std::to_string(port)}, "127.0.0.1");
    edge.start(folder.path());

    const std::string photo =
        test::read_bytes(test::data_dir() / "corpus" / "recurser__Landscape_5.jpg");
    REQUIRE(
        test::request(port, "POST", "/v1/originals", kAcme + "Content-Type: image/jpeg\r\n", photo)
            .result_int() == 201);
    const std::string id = sha256_hex(photo);

    // The shop embeds the URL handed out now; the edge fetches it once, then keeps it.
    const std::string first_url = embed_url(port, id);
    CHECK(first_url.starts_with(edge.base() + "/i/" + id + "/list~"));
    const auto first = test::request_to(edge.address, edge.port, "GET", path_of(first_url));
    REQUIRE(first.result_int() == 200);
    CHECK(test::decode(first.body()).width == 480);
    CHECK(test::request_to(edge.address, edge.port, "GET", path_of(first_url))["X-Cache"] == "HIT");

    // The brand narrows the list preset and drops zoom; the server is told with SIGHUP.
    write_config(config_file, edge.base(), 320);
    origin.signal(SIGHUP);
    std::string second_url = first_url;
    for (int i = 0; i < 100 && second_url == first_url; ++i) {
        std::this_thread::sleep_for(50ms);
        second_url = embed_url(port, id);
    }
    REQUIRE(second_url != first_url);
    CHECK(second_url.starts_with(edge.base() + "/i/" + id + "/list~"));

    // The admin re-renders the list preset ahead of viewers (what they asked for: one rendition).
    const auto rerender = test::run_command(
        IMGLINE_BINARY, {"rerender", "--server", "http://127.0.0.1:" + std::to_string(port),
                         "--key", "ops-key-12345", "--preset", "list", "--per-second", "50"});
    CHECK(rerender.exit_code == 0);
    INFO(rerender.out + rerender.err);
    CHECK(rerender.out.find("re-render done: rendered 1, already there 0, failed 0") !=
          std::string::npos);
    const double renders =
        test::metric_sum(port, "imgline_rendition_requests_total", "result=\"render\"");

    // The edge serves the new rendition for the new URL (no purge was sent), which the origin
    // had ready...
    const auto second = test::request_to(edge.address, edge.port, "GET", path_of(second_url));
    REQUIRE(second.result_int() == 200);
    CHECK(second["X-Cache"] == "MISS");
    CHECK(test::decode(second.body()).width == 320);
    CHECK(test::metric_sum(port, "imgline_rendition_requests_total", "result=\"render\"") ==
          renders);
    // ...and the old URL still answers with an image: the edge's copy while it lasts, and from
    // the origin a redirect to the current version.
    const auto old_at_edge = test::request_to(edge.address, edge.port, "GET", path_of(first_url));
    REQUIRE(old_at_edge.result_int() == 200);
    CHECK(test::decode(old_at_edge.body()).width == 480);
    const auto old_at_origin = test::request(port, "GET", path_of(first_url));
    REQUIRE(old_at_origin.result_int() == 302);
    CHECK(old_at_origin["Location"] == path_of(second_url));
    // The removed preset's URLs are gone.
    CHECK(test::request(port, "GET", "/i/" + id + "/zoom.jpg").result_int() == 404);

    // An admin's reload reports what changed; with nothing changed, nothing is swapped.
    write_config(config_file, edge.base(), 320, "\n[[presets]]\nname = \"zoom\"\n");
    const auto reloaded = test::request(port, "POST", "/v1/admin/reload", kOps);
    REQUIRE(reloaded.result_int() == 200);
    const auto report = boost::json::parse(reloaded.body()).at("config");
    CHECK(report.at("reloaded") == true);
    CHECK(report.at("presets").at("added").at(0) == "zoom");
    CHECK(report.at("presets").at("changed").as_array().empty());
    const auto again =
        boost::json::parse(test::request(port, "POST", "/v1/admin/reload", kOps).body());
    CHECK(again.at("config").at("reloaded") == false);
    // A file with a mistake changes nothing and says why.
    write_config(config_file, edge.base(), 0);
    const auto refused = test::request(port, "POST", "/v1/admin/reload", kOps);
    CHECK(refused.result_int() == 422);
    CHECK(embed_url(port, id) == second_url);

    origin.signal(SIGTERM);
    REQUIRE(origin.wait(15s) == 0);
    CHECK(origin.stdout_text().find("configuration reloaded") != std::string::npos);
}
