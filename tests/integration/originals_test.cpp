// The originals API over real HTTP: authentication, uploads (raw and multipart), idempotency,
// reading back, listing, deleting, and refusals that write nothing.
#include "common/sha256.h"
#include "tests/support/corpus.h"
#include "tests/support/http_client.h"
#include "tests/support/parties.h"
#include "tests/support/test_server.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace imgline;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using test::TestServer;

namespace {

using test::kAcme;
using test::kOps;
using test::kShop;
using test::with_parties;

std::string corpus_file(const std::string& name) {
    return test::read_bytes(test::data_dir() / "corpus" / name);
}

test::Response upload(unsigned short port,
                      std::string_view auth,
                      std::string_view bytes,
                      std::string_view target = "/v1/originals",
                      std::string_view type = "image/jpeg") {
    return test::request(port, "POST", target,
                         std::string(auth) + "Content-Type: " + std::string(type) + "\r\n", bytes);
}

boost::json::object json_of(const test::Response& response) {
    return boost::json::parse(response.body()).as_object();
}

std::string error_code(const test::Response& response) {
    return std::string(json_of(response).at("error").at("code").as_string());
}

std::size_t stored_files(const TestServer& server) {
    std::size_t count = 0;
    for (const auto& entry : fs::recursive_directory_iterator(server.config().storage.data_dir)) {
        count += entry.is_regular_file() ? 1 : 0;
    }
    return count;
}

}  // namespace

TEST_CASE("every corpus photo uploads, and its metadata reads back", "[integration][originals]") {
    TestServer server(with_parties);
    for (const auto& row : test::manifest("corpus")) {
        const auto& name = row.at("file");
        CAPTURE(name);
        const std::string bytes = corpus_file(name);
        const auto created =
            upload(server.port(), kAcme, bytes, "/v1/originals?sku=SKU-1&role=detail");
        REQUIRE(created.result_int() == 201);
        const auto record = json_of(created);
        CHECK(record.at("id").as_string() == sha256_hex(bytes));
        CHECK(record.at("owner") == "acme");
        CHECK(record.at("bytes").to_number<std::uint64_t>() == bytes.size());
        CHECK(record.at("format").as_string() == row.at("format"));
        CHECK(record.at("width").to_number<int>() == std::stoi(row.at("width")));
        CHECK(record.at("height").to_number<int>() == std::stoi(row.at("height")));
        CHECK(record.at("role") == "detail");
        // The URL handed out carries the preset's version.
        const std::string detail(record.at("urls").at("detail").as_string());
        CHECK(detail.find("/i/" + std::string(record.at("id").as_string()) + "/detail~") !=
              std::string::npos);

        const auto read =
            test::request(server.port(), "GET",
                          "/v1/originals/" + std::string(record.at("id").as_string()), kAcme);
        REQUIRE(read.result_int() == 200);
        CHECK(json_of(read).at("sku") == "SKU-1");
        CHECK(server.store().read(std::string(record.at("id").as_string())).value() == bytes);
    }
}

TEST_CASE("the same bytes from the same party are stored once (200, same id)",
          "[integration][originals]") {
    TestServer server(with_parties);
    const std::string bytes = corpus_file("mate__Dune.jpg");
    const auto first = upload(server.port(), kAcme, bytes);
    REQUIRE(first.result_int() == 201);
    const auto files = stored_files(server);
    const auto again = upload(server.port(), kAcme, bytes);
    REQUIRE(again.result_int() == 200);
    CHECK(json_of(again).at("id") == json_of(first).at("id"));
    CHECK(stored_files(server) == files);
    // Another party uploading the same photo gets its own record of the same id.
    const auto theirs = upload(server.port(), kShop, bytes);
    REQUIRE(theirs.result_int() == 201);
    CHECK(json_of(theirs).at("owner") == "shop1");
}

TEST_CASE("multipart uploads store several files with their labels", "[integration][originals]") {
    TestServer server(with_parties);
    const std::string a = corpus_file("rembg__car-2.out.png");
    const std::string b = corpus_file("mate__Blinds.jpg");
    const std::string boundary = "----imglineTestBoundary7";
    std::string body;
    auto part = [&](const std::string& headers, const std::string& content) {
        body += "--" + boundary + "\r\n" + headers + "\r\n\r\n" + content + "\r\n";
    };
    part("Content-Disposition: form-data; name=\"sku\"", "CAR-9");
    part("Content-Disposition: form-data; name=\"role\"", "main");
    part(
        "Content-Disposition: form-data; name=\"file\"; filename=\"car.png\"\r\n"
        "Content-Type: image/png",
        a);
    part(
        "Content-Disposition: form-data; name=\"file\"; filename=\"blinds.jpg\"\r\n"
        "Content-Type: image/jpeg",
        b);
    part("Content-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"", "not an image");
    body += "--" + boundary + "--\r\n";
    const auto response = upload(server.port(), kAcme, body, "/v1/originals",
                                 "multipart/form-data; boundary=" + boundary);
    REQUIRE(response.result_int() == 201);
    const auto results = json_of(response).at("originals").as_array();
    REQUIRE(results.size() == 3);
    CHECK(results[0].at("id").as_string() == sha256_hex(a));
    CHECK(results[0].at("sku") == "CAR-9");
    CHECK(results[0].at("role") == "main");
    CHECK(results[1].at("id").as_string() == sha256_hex(b));
    CHECK(results[2].at("error").at("code") == "unsupported_media_type");
    CHECK(results[2].at("filename") == "notes.txt");
}

TEST_CASE(
    "requests without a known key get 401, other parties' originals 403, and nothing is "
    "written",
    "[integration][originals]") {
    TestServer server(with_parties);
    const std::string bytes = corpus_file("mate__Dune.jpg");
    const auto before = stored_files(server);
    const auto anonymous = upload(server.port(), "", bytes);
    CHECK(anonymous.result_int() == 401);
    CHECK(error_code(anonymous) == "unauthorized");
    const auto wrong = upload(server.port(), "Authorization: Bearer guessed\r\n", bytes);
    CHECK(wrong.result_int() == 401);
    const auto basic = upload(server.port(), "Authorization: Basic YWNtZTp4\r\n", bytes);
    CHECK(basic.result_int() == 401);
    CHECK(stored_files(server) == before);

    const auto created = upload(server.port(), kAcme, bytes);
    REQUIRE(created.result_int() == 201);
    const std::string path = "/v1/originals/" + std::string(json_of(created).at("id").as_string());
    CHECK(test::request(server.port(), "GET", path, kShop).result_int() == 403);
    CHECK(test::request(server.port(), "DELETE", path, kShop).result_int() == 403);
    CHECK(test::request(server.port(), "GET", path, kOps).result_int() == 200);
    CHECK(test::request(server.port(), "GET", path).result_int() == 401);
    CHECK(server.store().read(std::string(json_of(created).at("id").as_string())));
}

TEST_CASE(
    "routes that need a key refuse a keyless upload from its header: no 100 Continue, no body "
    "byte read, and the connection closed",
    "[integration][originals][security]") {
    TestServer server(with_parties);
    for (const std::string target : {"/v1/originals", "/v1/check"}) {
        CAPTURE(target);
        DYNAMIC_SECTION("Expect: 100-continue on " << target) {
            test::RawClient client(server.port());
            client.send("POST " + target +
                        " HTTP/1.1\r\nHost: t\r\nContent-Type: image/jpeg\r\n"
                        "Content-Length: 20000000\r\nExpect: 100-continue\r\n\r\n");
            auto response = client.read_response(3s);
            REQUIRE(response);
            CHECK(response->result_int() == 401);  // not 100: the body is never asked for
            CHECK((*response)[server::http::field::connection] == "close");
            CHECK(client.wait_closed(3s));
        }
        DYNAMIC_SECTION("a body on its way to " << target << ", its last byte held back") {
            test::RawClient client(server.port());
            client.send("POST " + target +
                        " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer guessed\r\n"
                        "Content-Type: image/jpeg\r\nContent-Length: 1000001\r\n\r\n" +
                        std::string(1'000'000, 'x'));
            auto response = client.read_response(3s);
            REQUIRE(response);  // answered although the body is not complete
            CHECK(response->result_int() == 401);
            CHECK(client.wait_closed(3s));
        }
    }
    SECTION("an admin route refuses another party's key with 403, before the body") {
        test::RawClient client(server.port());
        client.send("POST /v1/purge HTTP/1.1\r\nHost: t\r\n" + kAcme +
                    "Content-Length: 100000\r\nExpect: 100-continue\r\n\r\n");
        auto response = client.read_response(3s);
        REQUIRE(response);
        CHECK(response->result_int() == 403);
    }
}

TEST_CASE("bad uploads get 413, 415 or 422 as JSON and are not stored",
          "[integration][originals]") {
    TestServer server([](config::Config& config) {
        with_parties(config);
        config.limits.upload_bytes = 2 * 1024 * 1024;
    });
    const auto before = stored_files(server);
    {
        test::RawClient client(server.port());
        client.send("POST /v1/originals HTTP/1.1\r\nHost: t\r\n" + kAcme +
                    "Content-Type: image/jpeg\r\nContent-Length: 3000000\r\n\r\n");
        auto response = client.read_response(5s);
        REQUIRE(response);
        CHECK(response->result_int() == 413);
    }
    const auto text = upload(server.port(), kAcme, "hello", "/v1/originals", "text/plain");
    CHECK(text.result_int() == 415);
    const auto svg = upload(server.port(), kAcme,
                            test::read_bytes(test::data_dir() / "corpus-hostile/corkami__svg.svg"),
                            "/v1/originals", "image/svg+xml");
    CHECK(svg.result_int() == 415);
    const auto bomb =
        upload(server.port(), kAcme,
               test::read_bytes(test::data_dir() / "corpus-hostile/fuzzdb__lottapixel.jpg"));
    CHECK(bomb.result_int() == 422);
    CHECK(error_code(bomb) == "too_many_pixels");
    const auto labels =
        upload(server.port(), kAcme, corpus_file("mate__Dune.jpg"), "/v1/originals?role=hero");
    CHECK(labels.result_int() == 400);
    const auto unknown =
        upload(server.port(), kAcme, corpus_file("mate__Dune.jpg"), "/v1/originals?colour=red");
    CHECK(unknown.result_int() == 400);
    CHECK(stored_files(server) == before);
}

TEST_CASE("ids that could walk the file system are refused", "[integration][originals]") {
    TestServer server(with_parties);
    for (const char* id : {"..", "%2e%2e", "..%2f..%2fetc%2fpasswd", "%2fetc%2fpasswd",
                           "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef00",
                           "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"}) {
        CAPTURE(id);
        const auto response =
            test::request(server.port(), "GET", std::string("/v1/originals/") + id, kAcme);
        CHECK((response.result_int() == 400 || response.result_int() == 404));
        CHECK(response[server::http::field::content_type] == "application/json");
    }
    CHECK(
        test::request(server.port(), "GET", "/v1/originals/../../etc/passwd", kAcme).result_int() ==
        404);
}

TEST_CASE("a party lists its originals in pages and by SKU", "[integration][originals]") {
    TestServer server(with_parties);
    int uploaded = 0;
    for (const char* name : {"mate__Dune.jpg", "mate__Blinds.jpg", "rembg__cloth-1.jpg",
                             "rembg__car-2.out.png", "sharp__4.webp"}) {
        const std::string sku = uploaded % 2 == 0 ? "EVEN" : "ODD";
        REQUIRE(upload(server.port(), kAcme, corpus_file(name), "/v1/originals?sku=" + sku)
                    .result_int() == 201);
        ++uploaded;
    }
    REQUIRE(upload(server.port(), kShop, corpus_file("mate__Dune.jpg")).result_int() == 201);
    std::vector<std::string> ids;
    std::string target = "/v1/originals?limit=2";
    while (true) {
        const auto page = test::request(server.port(), "GET", target, kAcme);
        REQUIRE(page.result_int() == 200);
        const auto body = json_of(page);
        for (const auto& item : body.at("originals").as_array()) {
            ids.emplace_back(item.at("id").as_string());
        }
        if (body.at("next_after").is_null()) {
            break;
        }
        target = "/v1/originals?limit=2&after=" + std::string(body.at("next_after").as_string());
    }
    CHECK(ids.size() == 5);
    const auto odd = json_of(test::request(server.port(), "GET", "/v1/originals?sku=ODD", kAcme));
    CHECK(odd.at("originals").as_array().size() == 2);
    CHECK(test::request(server.port(), "GET", "/v1/originals?owner=acme", kShop).result_int() ==
          403);
    CHECK(json_of(test::request(server.port(), "GET", "/v1/originals?owner=acme", kOps))
              .at("originals")
              .as_array()
              .size() == 5);
    CHECK(test::request(server.port(), "GET", "/v1/originals?limit=999", kAcme).result_int() ==
          400);
}

TEST_CASE("deleting an original removes it for its owner", "[integration][originals]") {
    TestServer server(with_parties);
    const std::string bytes = corpus_file("mate__Dune.jpg");
    const auto created = upload(server.port(), kAcme, bytes);
    REQUIRE(created.result_int() == 201);
    const std::string id(json_of(created).at("id").as_string());
    const auto deleted = test::request(server.port(), "DELETE", "/v1/originals/" + id, kAcme);
    REQUIRE(deleted.result_int() == 200);
    CHECK(json_of(deleted).at("gone") == true);
    CHECK(test::request(server.port(), "GET", "/v1/originals/" + id, kAcme).result_int() == 404);
    CHECK(server.store().is_deleted(id));
    CHECK(test::request(server.port(), "DELETE", "/v1/originals/" + id, kAcme).result_int() == 404);
}

TEST_CASE(
    "every hostile file is refused or accepted as its manifest row says, and the server "
    "keeps answering",
    "[integration][originals][hostile]") {
    TestServer server(with_parties);
    for (const auto& row : test::manifest("corpus-hostile")) {
        const auto& name = row.at("file");
        CAPTURE(name);
        const auto expect = test::hostile_expectation(row.at("expected_server_behaviour"));
        const auto response = upload(server.port(), kAcme, test::hostile_bytes(name),
                                     "/v1/originals", "application/octet-stream");
        const int status = static_cast<int>(response.result_int());
        CAPTURE(status, response.body().substr(0, 200));
        CHECK(status < 500);
        CHECK(test::hostile_outcome_ok(expect, status));
    }
    CHECK(test::request(server.port(), "GET", "/healthz").result_int() == 200);
}

TEST_CASE("text fields must be UTF-8 without control characters (400 naming the field)",
          "[integration][originals][security]") {
    TestServer server(with_parties);
    const std::size_t files_before = stored_files(server);
    const std::string photo = corpus_file("mate__Blinds.jpg");
    // Latin-1 é, an overlong '/', a UTF-16 surrogate, a C1 control: each would be stored raw.
    for (const std::string title : {"Caf%E9", "a%C0%AF", "%ED%A0%80", "x%C2%85y", "tab%09"}) {
        CAPTURE(title);
        const auto refused = upload(server.port(), kAcme, photo, "/v1/originals?title=" + title);
        REQUIRE(refused.result_int() == 400);
        CHECK(std::string(json_of(refused).at("error").at("message").as_string())
                  .starts_with("title must be UTF-8"));
    }
    const std::string boundary = "b7";
    const std::string body =
        "--b7\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nCaf\xE9"
        "\r\n--b7\r\nContent-Disposition: form-data; name=\"file\"; "
        "filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n" +
        photo + "\r\n--b7--\r\n";
    CHECK(upload(server.port(), kAcme, body, "/v1/originals", "multipart/form-data; boundary=b7")
              .result_int() == 400);
    CHECK(stored_files(server) == files_before);

    const auto stored =
        upload(server.port(), kAcme, photo, "/v1/originals?title=Caf%C3%A9%20%E5%92%96%E5%95%A1");
    REQUIRE(stored.result_int() == 201);
    const auto id = std::string(json_of(stored).at("id").as_string());
    const auto read = test::request(server.port(), "GET", "/v1/originals/" + id, kAcme);
    REQUIRE(read.result_int() == 200);
    CHECK(json_of(read).at("title") == "Caf\xC3\xA9 \xE5\x92\x96\xE5\x95\xA1");

    const auto embed = test::request(server.port(), "GET", "/v1/embed/" + id + "?alt=Caf%E9");
    CHECK(embed.result_int() == 400);
}

TEST_CASE("a stored record that cannot be read is reported, and its owner or an admin deletes it",
          "[integration][originals][security]") {
    test::ensure_vips();
    TestServer server(with_parties);
    const std::string photo = corpus_file("mate__Blinds.jpg");
    const std::string id = sha256_hex(photo);
    REQUIRE(upload(server.port(), kAcme, photo).result_int() == 201);
    REQUIRE(upload(server.port(), kShop, photo).result_int() == 201);
    // Both records damaged on disk (as one with raw Latin-1 in it was, before titles were
    // checked): nobody can read them, yet the image is still stored and served.
    for (const std::string owner : {"acme", "shop1"}) {
        std::ofstream(fs::path(server.config().storage.data_dir) / "records" / owner /
                      id.substr(0, 2) / (id + ".json"))
            << "{\"id\":\"" << id << "\",\"title\":\"Caf\xE9";
    }
    const auto shown = test::request(server.port(), "GET", "/v1/originals/" + id, kAcme);
    CHECK(shown.result_int() == 503);
    CHECK(
        std::string(json_of(shown).at("error").at("message").as_string()).find("cannot be read") !=
        std::string::npos);
    CHECK(test::request(server.port(), "GET", "/i/" + id + "/list.jpg").result_int() == 200);

    // Its owner deletes its own record; the other party's keeps the image.
    auto removed = test::request(server.port(), "DELETE", "/v1/originals/" + id, kAcme);
    REQUIRE(removed.result_int() == 200);
    CHECK(json_of(removed).at("gone") == false);
    CHECK(test::request(server.port(), "GET", "/i/" + id + "/list.jpg").result_int() == 200);
    // An admin deletes the rest: the image is gone.
    removed = test::request(server.port(), "DELETE", "/v1/originals/" + id, kOps);
    REQUIRE(removed.result_int() == 200);
    CHECK(json_of(removed).at("gone") == true);
    CHECK(test::request(server.port(), "GET", "/i/" + id + "/list.jpg").result_int() == 410);
}

TEST_CASE("a slow but steady upload is timed from when its body is complete",
          "[integration][originals]") {
    TestServer server([](config::Config& config) {
        with_parties(config);
        config.limits.render_timeout = 1s;  // the processing budget, not the upload's
    });
    const std::string photo = corpus_file("mate__Blinds.jpg");
    test::RawClient client(server.port());
    REQUIRE(client.send("POST /v1/originals HTTP/1.1\r\nHost: t\r\n" + kAcme +
                        "Content-Type: image/jpeg\r\nContent-Length: " +
                        std::to_string(photo.size()) + "\r\n\r\n"));
    // The body takes about 2.5 s, well past the 1 s budget, in steady pieces.
    const std::size_t piece = photo.size() / 10 + 1;
    for (std::size_t at = 0; at < photo.size(); at += piece) {
        REQUIRE(client.send(std::string_view(photo).substr(at, piece)));
        std::this_thread::sleep_for(250ms);
    }
    const auto answer = client.read_response(10s);
    REQUIRE(answer);
    CHECK(answer->result_int() == 201);
}

TEST_CASE("bodies in flight across connections have a byte budget: past it, 503 before the body",
          "[integration][originals][security]") {
    TestServer server([](config::Config& config) {
        with_parties(config);
        config.limits.upload_bytes = 1024 * 1024;
        config.limits.bodies_in_flight = 2 * 1024 * 1024;
    });
    const std::string head =
        "POST /v1/originals HTTP/1.1\r\nHost: t\r\n" + kAcme +
        "Content-Type: image/jpeg\r\nContent-Length: " + std::to_string(1024 * 1024) + "\r\n";
    // Two uploads under way, each holding back most of its body: the budget is taken.
    auto first = std::make_unique<test::RawClient>(server.port());
    test::RawClient second(server.port());
    for (auto* client : {first.get(), &second}) {
        REQUIRE(client->send(head + "\r\n" + std::string(100 * 1024, 'x')));
    }
    std::this_thread::sleep_for(200ms);
    // A third is refused from its header: no 100 Continue, no body read.
    test::RawClient third(server.port());
    REQUIRE(third.send(head + "Expect: 100-continue\r\n\r\n"));
    const auto refused = third.read_response(5s);
    REQUIRE(refused);
    CHECK(refused->result_int() == 503);
    CHECK((*refused)["Retry-After"] == "1");
    CHECK(third.wait_closed(2s));
    CHECK(test::request(server.port(), "GET", "/healthz").result_int() == 200);

    // One upload gives up: its share comes back, and the next upload may send its body.
    first.reset();
    int status = 0;
    for (int i = 0; i < 50 && status != 100; ++i) {
        test::RawClient next(server.port());
        REQUIRE(next.send(head + "Expect: 100-continue\r\n\r\n"));
        const auto answer = next.read_response(5s);
        REQUIRE(answer);
        status = answer->result_int();
        std::this_thread::sleep_for(20ms);
    }
    CHECK(status == 100);
}

namespace {

// The request bodies the server holds in unnamed temporary files under `dir` right now: the
// test server runs in this process, so they are among this process's descriptors.
std::size_t spooled_bodies(const fs::path& dir) {
    std::size_t count = 0;
    const std::string prefix = fs::canonical(dir).string() + "/";
    for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        const auto target = fs::read_symlink(entry.path(), ec).string();
        count += !ec && target.starts_with(prefix) && target.ends_with(" (deleted)") ? 1 : 0;
    }
    return count;
}

std::size_t wait_for_spooled_bodies(const fs::path& dir, std::size_t wanted) {
    std::size_t found = 0;
    for (int i = 0; i < 250 && (found = spooled_bodies(dir)) != wanted; ++i) {
        std::this_thread::sleep_for(20ms);
    }
    return found;
}

}  // namespace

TEST_CASE("large upload bodies are held in temporary files on the data disk, not in memory",
          "[integration][originals][security]") {
    TestServer server(with_parties);
    const fs::path data = server.config().storage.data_dir;
    const std::string photo = corpus_file("squoosh__demo-large-photo.jpg");  // 2.7 MB
    REQUIRE(photo.size() > 2 * 1024 * 1024);
    const std::string head =
        "POST /v1/originals HTTP/1.1\r\nHost: t\r\n" + kAcme +
        "Content-Type: image/jpeg\r\nContent-Length: " + std::to_string(photo.size()) + "\r\n\r\n";
    REQUIRE(spooled_bodies(data) == 0);

    // Three uploads, each holding back its last byte: their bodies sit in unnamed files.
    std::vector<std::unique_ptr<test::RawClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<test::RawClient>(server.port()));
        REQUIRE(clients.back()->send(head + photo.substr(0, photo.size() - 1)));
    }
    CHECK(wait_for_spooled_bodies(data, 3) == 3);
    for (auto& client : clients) {
        REQUIRE(client->send(photo.substr(photo.size() - 1)));
        const auto answer = client->read_response(10s);
        REQUIRE(answer);
        CHECK((answer->result_int() == 201 || answer->result_int() == 200));
    }
    CHECK(server.store().read(sha256_hex(photo)).value() == photo);
    // Answered: the files are gone with their requests.
    CHECK(wait_for_spooled_bodies(data, 0) == 0);

    SECTION("a chunked body moves from memory to a file when it outgrows the memory limit") {
        const std::string other = corpus_file("bimg__test_exif_full.jpg");  // 3.9 MB
        test::RawClient client(server.port());
        REQUIRE(client.send("POST /v1/originals HTTP/1.1\r\nHost: t\r\n" + kAcme +
                            "Content-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n"));
        const std::size_t piece = 256 * 1024;
        for (std::size_t at = 0; at < other.size(); at += piece) {
            const auto chunk = std::string_view(other).substr(at, piece);
            char size[32];
            std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
            REQUIRE(client.send(std::string(size) + std::string(chunk) + "\r\n"));
        }
        CHECK(wait_for_spooled_bodies(data, 1) == 1);
        REQUIRE(client.send("0\r\n\r\n"));
        const auto answer = client.read_response(10s);
        REQUIRE(answer);
        CHECK(answer->result_int() == 201);
        CHECK(server.store().read(sha256_hex(other)).value() == other);
        CHECK(wait_for_spooled_bodies(data, 0) == 0);
    }
}

TEST_CASE("the owner reads an original back as uploaded: its type, a strong ETag, Range",
          "[integration][originals][file]") {
    TestServer server(with_parties);
    const std::string photo = corpus_file("recurser__Landscape_6.jpg");
    const auto stored = upload(server.port(), kAcme, photo);
    REQUIRE(stored.result_int() == 201);
    const std::string id = sha256_hex(photo);
    const std::string path = "/v1/originals/" + id + "/file";

    const auto whole = test::request(server.port(), "GET", path, kAcme);
    REQUIRE(whole.result_int() == 200);
    CHECK(whole.body() == photo);
    CHECK(whole["Content-Type"] == "image/jpeg");
    CHECK(whole["ETag"] == "\"" + id + "\"");
    CHECK(whole["Accept-Ranges"] == "bytes");
    CHECK(whole["Cache-Control"] == "private, no-cache");

    const auto part = test::request(server.port(), "GET", path, kAcme + "Range: bytes=2-11\r\n");
    REQUIRE(part.result_int() == 206);
    CHECK(part.body() == photo.substr(2, 10));
    CHECK(part["Content-Range"] == "bytes 2-11/" + std::to_string(photo.size()));
    CHECK(test::request(server.port(), "GET", path,
                        kAcme + "Range: bytes=" + std::to_string(photo.size()) + "-\r\n")
              .result_int() == 416);
    CHECK(test::request(server.port(), "GET", path, kAcme + "If-None-Match: \"" + id + "\"\r\n")
              .result_int() == 304);

    // Admins may; another party may not; nobody without a key; an unknown id is a 404.
    CHECK(test::request(server.port(), "GET", path, kOps).body() == photo);
    CHECK(test::request(server.port(), "GET", path, kShop).result_int() == 403);
    CHECK(test::request(server.port(), "GET", path).result_int() == 401);
    CHECK(test::request(server.port(), "GET", "/v1/originals/" + std::string(64, 'a') + "/file",
                        kAcme)
              .result_int() == 404);
}

TEST_CASE("GET /v1/whoami says whose key it is and what it may do", "[integration][originals]") {
    TestServer server(with_parties);
    const auto acme = test::request(server.port(), "GET", "/v1/whoami", kAcme);
    REQUIRE(acme.result_int() == 200);
    const auto me = json_of(acme);
    CHECK(me.at("name") == "acme");
    CHECK(me.at("kind") == "supplier");
    CHECK(me.at("may").at("upload") == true);
    CHECK(me.at("may").at("see_all_parties") == false);
    CHECK(json_of(test::request(server.port(), "GET", "/v1/whoami", kOps))
              .at("may")
              .at("see_all_parties") == true);
    CHECK(test::request(server.port(), "GET", "/v1/whoami").result_int() == 401);
    CHECK(test::request(server.port(), "GET", "/v1/whoami", "Authorization: Bearer not-a-key\r\n")
              .result_int() == 401);
}
