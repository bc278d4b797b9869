// Serving renditions as a CDN origin: formats by URL and by Accept, cache headers, 304, HEAD,
// Range, coalesced renders, and the 404/410 answers.
#include "app/rendition_address.h"
#include "cdn/signed_url.h"
#include "common/sha256.h"
#include "pipeline/capabilities.h"
#include "pipeline/image_format.h"
#include "tests/support/corpus.h"
#include "tests/support/http_client.h"
#include "tests/support/image_checks.h"
#include "tests/support/test_server.h"

#include <filesystem>
#include <sstream>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace imgline;
using namespace std::chrono_literals;
using test::TestServer;
namespace http = server::http;

namespace {

const std::string kAuth = "Authorization: Bearer deliver-key\r\n";

void configure(config::Config& config) {
    config.parties = {{"supplier", "acme", {sha256_hex("deliver-key")}, ""}};
    config::PresetConfig every;
    every.name = "every";
    every.width = 400;
    every.height = 400;
    every.formats = {"avif", "webp", "jpeg", "png"};
    every.max_bytes = 60 * 1024;
    every.replaces = {"old-every"};
    config.presets.push_back(every);
}

std::string upload(const TestServer& server, const std::string& corpus_name) {
    const auto response = test::request(
        server.port(), "POST", "/v1/originals", kAuth + "Content-Type: image/jpeg\r\n",
        test::read_bytes(test::data_dir() / "corpus" / corpus_name));
    REQUIRE((response.result_int() == 201 || response.result_int() == 200));
    return std::string(boost::json::parse(response.body()).at("id").as_string());
}

// The sum of a counter family in /metrics, optionally only the lines containing `filter`.
double metric(const TestServer& server, const std::string& name, const std::string& filter = "") {
    return test::metric_sum(server.port(), name, filter);
}

}  // namespace

// "every~<its version>": what imgline hands out for the preset now.
std::string versioned(const TestServer& server, const std::string& preset) {
    for (const auto& candidate : server.config().presets) {
        if (candidate.name == preset) {
            return preset + "~" + app::preset_version(server.config(), candidate);
        }
    }
    FAIL("no preset " << preset);
    return {};
}

TEST_CASE("rendition URLs carry their preset's version, and old addresses still answer",
          "[integration][delivery][versions]") {
    TestServer server(configure);
    const auto id = upload(server, "squoosh__demo-large-photo.jpg");
    const std::string every = versioned(server, "every");
    const auto current = test::request(server.port(), "GET", "/i/" + id + "/" + every + ".jpg");
    REQUIRE(current.result_int() == 200);
    CHECK(current[http::field::cache_control] == "public, max-age=31536000, immutable");

    // Without a version (as handed out before versions): the same bytes, kept a day, since a
    // style change changes them.
    const auto plain = test::request(server.port(), "GET", "/i/" + id + "/every.jpg");
    REQUIRE(plain.result_int() == 200);
    CHECK(plain[http::field::cache_control] == "public, max-age=86400");
    CHECK(plain[http::field::etag] == current[http::field::etag]);
    CHECK(plain.body() == current.body());

    // An old version: a redirect to the current one, never a broken image.
    const auto old = test::request(server.port(), "GET", "/i/" + id + "/every~0badf00d.jpg");
    REQUIRE(old.result_int() == 302);
    CHECK(old[http::field::location] == "/i/" + id + "/" + every + ".jpg");
    CHECK(old[http::field::cache_control] == "public, max-age=3600");
    CHECK(test::request(server.port(), "GET", "/i/" + id + "/every~nothex0.jpg").result_int() ==
          404);

    // A preset's old name (renamed in the configuration): a permanent redirect.
    const auto renamed = test::request(server.port(), "GET", "/i/" + id + "/old-every.webp");
    REQUIRE(renamed.result_int() == 301);
    CHECK(renamed[http::field::location] == "/i/" + id + "/every.webp");
    const auto renamed_versioned =
        test::request(server.port(), "GET", "/i/" + id + "/old-every~0badf00d");
    REQUIRE(renamed_versioned.result_int() == 301);
    CHECK(renamed_versioned[http::field::location] == "/i/" + id + "/" + every);

    // What the API hands out carries the version.
    const auto record = boost::json::parse(
        test::request(server.port(), "GET", "/v1/originals/" + id, kAuth).body());
    CHECK(record.at("urls").at("every").as_string().ends_with("/i/" + id + "/" + every));
    const auto embed =
        boost::json::parse(test::request(server.port(), "GET", "/v1/embed/" + id).body());
    CHECK(std::string(embed.at("html").as_string()).find("/i/" + id + "/" + every + ".jpg") !=
          std::string::npos);
}

TEST_CASE("each format by URL comes with its type, immutable caching and within budget",
          "[integration][delivery]") {
    TestServer server(configure);
    const auto id = upload(server, "squoosh__demo-large-photo.jpg");
    const std::string every = versioned(server, "every");
    for (const auto& [extension, type] :
         std::vector<std::pair<std::string, std::string>>{{"jpg", "image/jpeg"},
                                                          {"webp", "image/webp"},
                                                          {"png", "image/png"},
                                                          {"avif", "image/avif"}}) {
        CAPTURE(extension);
        const auto response =
            test::request(server.port(), "GET", "/i/" + id + "/" + every + "." + extension);
        REQUIRE(response.result_int() == 200);
        CHECK(response[http::field::content_type] == type);
        CHECK(response[http::field::cache_control] == "public, max-age=31536000, immutable");
        CHECK(response[http::field::vary].empty());  // the URL fixes the format
        CHECK_FALSE(response[http::field::etag].empty());
        CHECK_FALSE(response[http::field::last_modified].empty());
        CHECK(response["X-Imgline-Budget"] == "met");
        CHECK(response.body().size() <= 60 * 1024);
        CHECK(std::string(pipeline::format_name(*pipeline::sniff_format(response.body()))) ==
              (extension == "jpg" ? "jpeg" : extension));
        const auto decoded = test::decode(response.body());
        CHECK(std::max(decoded.width, decoded.height) == 400);
        CHECK(response[http::field::set_cookie].empty());
    }
}

TEST_CASE("without an extension the format follows Accept, with Vary: Accept",
          "[integration][delivery]") {
    TestServer server(configure);
    const auto id = upload(server, "mate__Dune.jpg");

    struct Case {
        const char* client;
        const char* accept;
        const char* type;
    };

    const Case cases[] = {
        {"Chrome", "image/avif,image/webp,image/apng,image/*,*/*;q=0.8", "image/avif"},
        {"Safari 14", "image/webp,image/png,image/*;q=0.8,*/*;q=0.5", "image/webp"},
        {"old IE", "image/png, image/svg+xml, image/*;q=0.8, */*;q=0.5", "image/jpeg"},
        {"anything", "*/*", "image/jpeg"},
        {"no Accept", nullptr, "image/jpeg"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.client);
        const std::string header = c.accept ? std::string("Accept: ") + c.accept + "\r\n" : "";
        const auto response = test::request(server.port(), "GET", "/i/" + id + "/every", header);
        REQUIRE(response.result_int() == 200);
        CHECK(response[http::field::content_type] == c.type);
        CHECK(response[http::field::vary] == "Accept");
        CHECK(response.body().size() <= 60 * 1024);
    }
    // The built-in presets offer WebP and JPEG.
    const auto detail = test::request(server.port(), "GET", "/i/" + id + "/detail",
                                      "Accept: image/avif,image/webp\r\n");
    CHECK(detail[http::field::content_type] == "image/webp");
    CHECK(detail.body().size() <= 200 * 1024);
}

TEST_CASE("If-None-Match answers 304 without rendering, and HEAD matches GET",
          "[integration][delivery]") {
    TestServer server(configure);
    const auto id = upload(server, "mate__Blinds.jpg");
    const std::string path = "/i/" + id + "/main.jpg";
    const auto first = test::request(server.port(), "GET", path);
    REQUIRE(first.result_int() == 200);
    const double renders = metric(server, "imgline_renders_total");
    CHECK(renders == 1);
    const std::string etag(first[http::field::etag]);
    const auto revalidated =
        test::request(server.port(), "GET", path, "If-None-Match: " + etag + "\r\n");
    CHECK(revalidated.result_int() == 304);
    CHECK(revalidated.body().empty());
    CHECK(revalidated[http::field::etag] == etag);
    CHECK(revalidated[http::field::cache_control] == first[http::field::cache_control]);
    CHECK(metric(server, "imgline_renders_total") == renders);
    CHECK(metric(server, "imgline_rendition_requests_total", "not_modified") == 1);

    // If-None-Match: * is a hit only for an image that exists.
    const auto any = test::request(server.port(), "GET", path, "If-None-Match: *\r\n");
    CHECK(any.result_int() == 304);
    CHECK(any[http::field::etag] == etag);
    const auto missing = test::request(
        server.port(), "GET", "/i/" + std::string(64, 'a') + "/main.jpg", "If-None-Match: *\r\n");
    CHECK(missing.result_int() == 404);

    const auto head = test::request(server.port(), "HEAD", path);
    CHECK(head.result_int() == 200);
    CHECK(head.body().empty());
    for (auto field : {http::field::content_length, http::field::content_type, http::field::etag,
                       http::field::cache_control, http::field::last_modified}) {
        CHECK(head[field] == first[field]);
    }
    CHECK(metric(server, "imgline_rendition_requests_total", "memory") >= 1);
}

TEST_CASE("cached renditions, with and without a disk tier, repeat the rendered bytes",
          "[integration][delivery]") {
    for (const std::uint64_t disk_bytes : {std::uint64_t{1} << 30, std::uint64_t{0}}) {
        CAPTURE(disk_bytes);  // with a disk tier and without one
        TestServer server([&](config::Config& config) {
            configure(config);
            config.storage.disk_cache_bytes = disk_bytes;
        });
        const auto id = upload(server, "mate__Dune.jpg");
        const std::string path = "/i/" + id + "/detail.jpg";
        const auto rendered = test::request(server.port(), "GET", path);
        REQUIRE(rendered.result_int() == 200);
        // Several answers on one keep-alive connection: each complete, the framing intact.
        test::RawClient client(server.port());
        for (int i = 0; i < 3; ++i) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
            const auto cached = client.read_response(10s);
            REQUIRE(cached);
            CHECK(cached->result_int() == 200);
            CHECK(cached->body() == rendered.body());
            CHECK((*cached)[http::field::content_length] == std::to_string(rendered.body().size()));
        }
        const auto head = test::request(server.port(), "HEAD", path);
        CHECK(head[http::field::content_length] == std::to_string(rendered.body().size()));
        CHECK(head.body().empty());
    }
}

TEST_CASE("a cached rendition reaches a slow reader whole, and one that leaves costs nothing",
          "[integration][delivery]") {
    TestServer server(configure);
    const auto id = upload(server, "mate__Dune.jpg");
    const std::string path = "/i/" + id + "/detail.jpg";
    const auto rendered = test::request(server.port(), "GET", path);
    REQUIRE(rendered.result_int() == 200);
    REQUIRE(rendered.body().size() > 100'000);
    {
        // A 4 KiB receive window and a pause before reading: the server's sends of the body
        // fill the socket and must wait for room, twice over (two pipelined requests).
        test::RawClient slow("127.0.0.1", server.port(), 4096);
        slow.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\nGET " + path +
                  " HTTP/1.1\r\nHost: x\r\n\r\n");
        std::this_thread::sleep_for(300ms);
        for (int i = 0; i < 2; ++i) {
            const auto cached = slow.read_response(10s);
            REQUIRE(cached);
            CHECK(cached->result_int() == 200);
            CHECK(cached->body() == rendered.body());
        }
    }
    for (int i = 0; i < 3; ++i) {
        // Gone with answers unread (the close resets the connection): the send in progress
        // fails, and that is all.
        test::RawClient leaving("127.0.0.1", server.port(), 4096);
        std::string requests;
        for (int r = 0; r < 20; ++r) {
            requests += "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
        }
        leaving.send(requests);
        std::this_thread::sleep_for(50ms);
    }
    std::this_thread::sleep_for(100ms);
    CHECK(test::request(server.port(), "GET", path).body() == rendered.body());
    CHECK(test::request(server.port(), "GET", "/healthz").result_int() == 200);
}

TEST_CASE("large originals get a mezzanine at upload, renders start from it, delete removes it",
          "[integration][delivery]") {
    for (const std::uint64_t max_side : {std::uint64_t{2400}, std::uint64_t{0}}) {
        CAPTURE(max_side);  // mezzanines on (the default) and off
        TestServer server([&](config::Config& config) {
            configure(config);
            config.storage.mezzanine_max_side = max_side;
            config::PresetConfig poster;  // larger than any mezzanine
            poster.name = "poster";
            poster.width = poster.height = 3000;
            poster.formats = {"jpeg"};
            poster.max_bytes = 4 * 1024 * 1024;
            config.presets.push_back(poster);
        });
        const auto id = upload(server, "bimg__test_exif_full.jpg");  // 4032x3024
        CHECK(server.store().has_mezzanine(id, 2400) == (max_side != 0));
        CHECK(server.store().has_mezzanine(id, 1200) == (max_side != 0));
        const auto detail = test::request(server.port(), "GET", "/i/" + id + "/detail.jpg");
        REQUIRE(detail.result_int() == 200);
        const auto decoded = test::decode(detail.body());
        CHECK(decoded.width == 1200);  // upright: the photo is portrait
        CHECK(decoded.height == 1600);
        CHECK(metric(server, "imgline_render_sources_total", "mezzanine") ==
              (max_side != 0 ? 1 : 0));
        CHECK(metric(server, "imgline_render_sources_total", "original") ==
              (max_side != 0 ? 0 : 1));
        // A rendition larger than the mezzanine needs the original's pixels.
        const auto poster = test::request(server.port(), "GET", "/i/" + id + "/poster.jpg");
        REQUIRE(poster.result_int() == 200);
        CHECK(test::decode(poster.body()).height == 3000);
        CHECK(metric(server, "imgline_render_sources_total", "original") ==
              (max_side != 0 ? 1 : 2));
        // An original of 1680x1050 gets only the smaller size; one of 739x1134 none.
        if (max_side != 0) {
            const auto dune = upload(server, "mate__Dune.jpg");
            CHECK(server.store().has_mezzanine(dune, 1200));
            CHECK_FALSE(server.store().has_mezzanine(dune, 2400));
            CHECK_FALSE(server.store().has_mezzanine(upload(server, "rembg__cloth-1.jpg"), 1200));
        }
        const auto removed = test::request(server.port(), "DELETE", "/v1/originals/" + id, kAuth);
        CHECK(removed.result_int() == 200);
        CHECK_FALSE(server.store().has_mezzanine(id, 2400));
        CHECK_FALSE(server.store().has_mezzanine(id, 1200));
    }
}

TEST_CASE("an original found without mezzanines gets them in the background",
          "[integration][delivery]") {
    TestServer server(configure);
    const auto id = upload(server, "bimg__test_exif_full.jpg");  // 4032x3024
    // As if stored before mezzanines existed: remove them from the data folder.
    std::vector<std::filesystem::path> copies;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(
             std::filesystem::path(server.config().storage.data_dir) / "mezzanines")) {
        if (entry.path().stem().string() == id) {
            copies.push_back(entry.path());
        }
    }
    REQUIRE(copies.size() == 2);
    for (const auto& copy : copies) {
        std::filesystem::remove(copy);
    }
    REQUIRE_FALSE(server.store().has_mezzanine(id, 1200));

    REQUIRE(test::request(server.port(), "GET", "/i/" + id + "/detail.jpg").result_int() == 200);
    CHECK(metric(server, "imgline_render_sources_total", "original") == 1);
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (!(server.store().has_mezzanine(id, 1200) && server.store().has_mezzanine(id, 2400)) &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(50ms);
    }
    CHECK(server.store().has_mezzanine(id, 2400));
    CHECK(server.store().has_mezzanine(id, 1200));
    REQUIRE(test::request(server.port(), "GET", "/i/" + id + "/main.jpg").result_int() == 200);
    CHECK(metric(server, "imgline_render_sources_total", "mezzanine") == 1);
    CHECK(metric(server, "imgline_render_sources_total", "original") == 1);

    // A photo smaller than the smallest mezzanine never gets one.
    const auto small = upload(server, "rembg__cloth-1.jpg");  // 739x1134
    REQUIRE(test::request(server.port(), "GET", "/i/" + small + "/list.jpg").result_int() == 200);
    std::this_thread::sleep_for(200ms);
    CHECK_FALSE(server.store().has_mezzanine(small, 1200));
}

TEST_CASE("an upload is pre-rendered in the background: the first view is a cache hit",
          "[integration][delivery]") {
    TestServer server([](config::Config& config) {
        configure(config);
        config.storage.prerender = true;
    });
    const auto id = upload(server, "mate__Dune.jpg");
    // Every preset in each of its formats: the four built-in ones offer webp and jpeg, and
    // `every` adds avif (when this libheif encodes AV1) and png.
    std::size_t expected = 0;
    for (const auto& preset : server.config().presets) {
        for (const auto& name : preset.formats) {
            const auto format = pipeline::parse_format_name(name);
            expected += format && pipeline::can_write(*format) ? 1 : 0;
        }
    }
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    while (metric(server, "imgline_prerenders_total") < static_cast<double>(expected) &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(100ms);
    }
    CHECK(metric(server, "imgline_prerenders_total", "rendered") == static_cast<double>(expected));
    const double renders = metric(server, "imgline_renders_total");
    CHECK(renders == static_cast<double>(expected));
    for (const std::string& path :
         {"/i/" + id + "/main.webp", "/i/" + id + "/detail.jpg", "/i/" + id + "/thumb.jpg"}) {
        CAPTURE(path);
        CHECK(test::request(server.port(), "GET", path).result_int() == 200);
    }
    CHECK(metric(server, "imgline_renders_total") == renders);  // nothing rendered on request
    CHECK(metric(server, "imgline_rendition_requests_total", "memory") == 3);
}

TEST_CASE("Range answers 206 with the slice, or 416 past the end", "[integration][delivery]") {
    TestServer server(configure);
    const auto id = upload(server, "mate__Dune.jpg");
    const std::string path = "/i/" + id + "/list.webp";
    const auto whole = test::request(server.port(), "GET", path);
    REQUIRE(whole.result_int() == 200);
    CHECK(whole[http::field::accept_ranges] == "bytes");
    const auto part = test::request(server.port(), "GET", path, "Range: bytes=10-109\r\n");
    CHECK(part.result_int() == 206);
    CHECK(part.body() == whole.body().substr(10, 100));
    CHECK(part[http::field::content_range] ==
          "bytes 10-109/" + std::to_string(whole.body().size()));
    const auto past =
        test::request(server.port(), "GET", path,
                      "Range: bytes=" + std::to_string(whole.body().size()) + "-\r\n");
    CHECK(past.result_int() == 416);
    CHECK(past[http::field::content_range] == "bytes */" + std::to_string(whole.body().size()));
}

TEST_CASE("32 concurrent requests for one missing rendition cause exactly one render",
          "[integration][delivery]") {
    TestServer server(configure);
    const auto id = upload(server, "lomiri__Dragonfly_by_Bolly.jpg");
    std::vector<std::unique_ptr<test::RawClient>> clients;
    for (int i = 0; i < 32; ++i) {
        clients.push_back(std::make_unique<test::RawClient>(server.port()));
    }
    for (auto& client : clients) {
        client->send("GET /i/" + id + "/detail.webp HTTP/1.1\r\nHost: t\r\n\r\n");
    }
    std::string first_body;
    for (auto& client : clients) {
        auto response = client->read_response(60s);
        REQUIRE(response);
        CHECK(response->result_int() == 200);
        if (first_body.empty()) {
            first_body = response->body();
        }
        CHECK(response->body() == first_body);
    }
    CHECK(metric(server, "imgline_renders_total") == 1);
    CHECK(metric(server, "imgline_coalesced_waits_total") +
              metric(server, "imgline_rendition_requests_total", "memory") ==
          31);
}

TEST_CASE("unknown presets and ids are 404, deleted originals 410 for a short while",
          "[integration][delivery]") {
    TestServer server(configure);
    const auto id = upload(server, "mate__Dune.jpg");
    const auto preset = test::request(server.port(), "GET", "/i/" + id + "/poster.jpg");
    CHECK(preset.result_int() == 404);
    CHECK(boost::json::parse(preset.body()).at("error").at("code") == "unknown_preset");
    CHECK(preset[http::field::cache_control] == "no-store");
    const auto format = test::request(server.port(), "GET", "/i/" + id + "/detail.png");
    CHECK(format.result_int() == 404);  // detail does not offer PNG
    const auto unknown =
        test::request(server.port(), "GET", "/i/" + std::string(64, 'e') + "/detail.jpg");
    CHECK(unknown.result_int() == 404);
    CHECK(test::request(server.port(), "GET", "/i/nothex/detail.jpg").result_int() == 404);

    REQUIRE(test::request(server.port(), "GET", "/i/" + id + "/detail.jpg").result_int() == 200);
    REQUIRE(test::request(server.port(), "DELETE", "/v1/originals/" + id, kAuth).result_int() ==
            200);
    for (const char* suffix : {"/detail.jpg", "/detail", "/thumb.webp"}) {
        CAPTURE(suffix);
        const auto gone = test::request(server.port(), "GET", "/i/" + id + suffix);
        CHECK(gone.result_int() == 410);
        CHECK(gone[http::field::cache_control] == "public, max-age=60");
        CHECK(boost::json::parse(gone.body()).at("error").at("code") == "gone");
    }
}

TEST_CASE("a rendition re-rendered after leaving the caches starts from its learned quality",
          "[integration][delivery]") {
    TestServer server([](config::Config& config) {
        configure(config);
        config.storage.memory_cache_bytes = 1;  // nothing fits: every request renders
        config.storage.disk_cache_bytes = 1;
    });
    const auto id = upload(server, "plasma__ColorfulCups_2560x1600.jpg");
    const auto first = test::request(server.port(), "GET", "/i/" + id + "/detail.jpg");
    REQUIRE(first.result_int() == 200);
    const auto again = test::request(server.port(), "GET", "/i/" + id + "/detail.jpg");
    REQUIRE(again.result_int() == 200);
    CHECK(metric(server, "imgline_renders_total") == 2);
    CHECK(again["X-Imgline-Quality"] == first["X-Imgline-Quality"]);
    CHECK(again["X-Imgline-Encodes"] == "1");
    CHECK(again.body().size() <= 200 * 1024);
}

TEST_CASE("a flood of distinct uncached renders gets 503 with Retry-After, not a growing queue",
          "[integration][delivery]") {
    TestServer server([](config::Config& config) {
        configure(config);
        config.server.worker_threads = 1;
        config.server.queue_capacity = 1;
    });
    const auto id = upload(server, "lomiri__seeding_by_Clements_Engelhardt.jpg");
    const std::vector<std::string> targets{"/detail.jpg", "/detail.webp", "/main.jpg",
                                           "/main.webp",  "/list.jpg",    "/list.webp",
                                           "/thumb.jpg",  "/thumb.webp"};
    std::vector<std::unique_ptr<test::RawClient>> clients;
    for (const auto& target : targets) {
        clients.push_back(std::make_unique<test::RawClient>(server.port()));
        clients.back()->send("GET /i/" + id + target + " HTTP/1.1\r\nHost: t\r\n\r\n");
    }
    int refused = 0;
    for (auto& client : clients) {
        auto response = client->read_response(60s);
        REQUIRE(response);
        const auto status = response->result_int();
        CHECK((status == 200 || status == 503));
        if (status == 503) {
            ++refused;
            CHECK_FALSE((*response)[http::field::retry_after].empty());
            CHECK(boost::json::parse(response->body()).at("error").at("code") == "overloaded");
        }
    }
    CHECK(refused >= 1);
}

TEST_CASE("signed transforms: good, tampered, expired, unknown key, rotated key, bad options",
          "[integration][delivery][sign]") {
    const cdn::SigningKey k1{"k1", "first-secret-0123456789"};
    const cdn::SigningKey k2{"k2", "second-secret-0123456789"};
    TestServer server([](config::Config& config) {
        configure(config);
        config.signing.keys = {"k1:first-secret-0123456789", "k2:second-secret-0123456789"};
    });
    const auto id = upload(server, "mate__Dune.jpg");
    auto url = [&](const std::string& path, const cdn::SigningKey& key) {
        return "/t/" + cdn::sign_path(path, key) + path;
    };
    const std::string path = "/w:300/h:200/fit:fill/max_kb:30/" + id + ".webp";
    const auto good = test::request(server.port(), "GET", url(path, k1));
    REQUIRE(good.result_int() == 200);
    CHECK(good[http::field::content_type] == "image/webp");
    CHECK(good.body().size() <= 30 * 1024);
    const auto decoded = test::decode(good.body());
    CHECK((decoded.width == 300 && decoded.height == 200));
    CHECK(test::request(server.port(), "GET", url(path, k2)).result_int() == 200);

    const std::string signature = cdn::sign_path(path, k1);
    const auto tampered =
        test::request(server.port(), "GET",
                      "/t/" + signature + "/w:3000/h:200/fit:fill/max_kb:30/" + id + ".webp");
    CHECK(tampered.result_int() == 403);
    CHECK(boost::json::parse(tampered.body()).at("error").at("code") == "bad_signature");
    const std::string expired_path = "/exp:1000/w:300/" + id + ".webp";
    const auto expired = test::request(server.port(), "GET", url(expired_path, k1));
    CHECK(expired.result_int() == 403);
    CHECK(boost::json::parse(expired.body()).at("error").at("code") == "expired");
    const cdn::SigningKey stranger{"k9", "first-secret-0123456789"};
    CHECK(test::request(server.port(), "GET", url(path, stranger)).result_int() == 403);
    const auto bad = test::request(server.port(), "GET", url("/w:300/zoom:2/" + id + ".webp", k1));
    CHECK(bad.result_int() == 400);
    CHECK(std::string(boost::json::parse(bad.body()).at("error").at("message").as_string())
              .find("zoom") != std::string::npos);
    const std::string later = "/exp:4000000000/w:120/" + id + ".jpg";
    const auto expiring = test::request(server.port(), "GET", url(later, k1));
    CHECK(expiring.result_int() == 200);
    CHECK(expiring[http::field::cache_control] == "public, max-age=31536000");
}

TEST_CASE("without a signing key there is no transform route", "[integration][delivery][sign]") {
    TestServer server(configure);
    const auto id = upload(server, "mate__Dune.jpg");
    const cdn::SigningKey key{"k1", "first-secret-0123456789"};
    const std::string path = "/w:300/" + id + ".webp";
    CHECK(test::request(server.port(), "GET", "/t/" + cdn::sign_path(path, key) + path)
              .result_int() == 404);
}

TEST_CASE("with server.image_clients set, only those addresses fetch images from the origin",
          "[integration][delivery][security]") {
    for (const bool listed : {true, false}) {
        CAPTURE(listed);
        TestServer server([&](config::Config& config) {
            configure(config);
            config.server.image_clients = {listed ? "127.0.0.0/8" : "10.0.0.0/8"};
        });
        const auto id = upload(server, "mate__Blinds.jpg");  // uploads are not image routes
        const auto image = test::request(server.port(), "GET", "/i/" + id + "/main.jpg");
        CHECK(image.result_int() == (listed ? 200 : 403));
        CHECK(test::request(server.port(), "GET", "/healthz").result_int() == 200);
    }
}
