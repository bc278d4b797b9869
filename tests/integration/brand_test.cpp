// Brand checks over real HTTP: reports in upload replies, blocked uploads that store nothing,
// /v1/check, the stored report, and brand fixes in the renditions of `main`.
#include "common/sha256.h"
#include "tests/support/corpus.h"
#include "tests/support/http_client.h"
#include "tests/support/test_server.h"
#include "tests/support/vips_fixtures.h"

#include <filesystem>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <vips/vips8>

using namespace imgline;
namespace fs = std::filesystem;
using test::TestServer;

namespace {

const std::string kAcme = "Authorization: Bearer acme-secret-key\r\n";
const std::string kShop = "Authorization: Bearer shop-secret-key\r\n";

// acme's brand refuses failing uploads; shop1's only reports, and pads to 1:1 on cream.
void with_brands(config::Config& config) {
    config::BrandConfig strict;
    strict.name = "strict-white";
    strict.block_on_fail = true;
    auto& main = strict.roles["main"];
    main.min_width = 800;
    main.min_height = 800;
    main.background = "#ffffff";

    config::BrandConfig cream;
    cream.name = "cream";
    cream.background = "#f5f1ea";
    cream.roles["main"].aspect = "1:1";
    cream.roles["main"].fixes = {"pad_aspect"};

    config.brands = {strict, cream};
    config.parties = {
        {"supplier", "acme", {sha256_hex("acme-secret-key")}, "strict-white"},
        {"distributor", "shop1", {sha256_hex("shop-secret-key")}, "cream"},
    };
}

test::Response post(unsigned short port,
                    std::string_view auth,
                    std::string_view target,
                    std::string_view bytes) {
    return test::request(port, "POST", target, std::string(auth) + "Content-Type: image/jpeg\r\n",
                         bytes);
}

boost::json::object json_of(const test::Response& response) {
    return boost::json::parse(response.body()).as_object();
}

std::size_t stored_files(const TestServer& server) {
    std::size_t count = 0;
    for (const auto& entry : fs::recursive_directory_iterator(server.config().storage.data_dir)) {
        count += entry.is_regular_file() ? 1 : 0;
    }
    return count;
}

std::string verdict_of(const boost::json::object& report, std::string_view rule) {
    for (const auto& result : report.at("rules").as_array()) {
        if (result.at("rule").as_string() == rule) {
            return std::string(result.at("verdict").as_string());
        }
    }
    return "absent";
}

}  // namespace

TEST_CASE("a blocked upload is a 422 with the report, and nothing is stored",
          "[integration][brand]") {
    test::ensure_vips();
    TestServer server(with_brands);
    const std::size_t before = stored_files(server);
    const std::string small = test::jpeg_of(test::product_shot(600, 600, 300, 150, 150));

    const auto refused = post(server.port(), kAcme, "/v1/originals", small);
    REQUIRE(refused.result_int() == 422);
    CHECK(refused["Cache-Control"] == "no-store");
    const auto body = json_of(refused);
    CHECK(body.at("error").at("code") == "brand_rules_failed");
    const auto& report = body.at("report").as_object();
    CHECK(report.at("brand") == "strict-white");
    CHECK(report.at("blocked") == true);
    CHECK(verdict_of(report, "min_size") == "fail");
    CHECK(verdict_of(report, "background") == "pass");
    CHECK(stored_files(server) == before);
    const auto lookup =
        test::request(server.port(), "GET", "/v1/originals/" + sha256_hex(small), kAcme, "");
    CHECK(lookup.result_int() == 404);
}

TEST_CASE("a passing upload carries its report, which reads back for its owner only",
          "[integration][brand]") {
    test::ensure_vips();
    TestServer server(with_brands);
    const std::string good = test::jpeg_of(test::product_shot(1000, 1000, 500, 250, 250));
    const auto created = post(server.port(), kAcme, "/v1/originals?role=main", good);
    REQUIRE(created.result_int() == 201);
    const auto record = json_of(created);
    CHECK(record.at("brand") == "strict-white");
    const auto& report = record.at("brand_report").as_object();
    CHECK(report.at("verdict") == "pass");
    CHECK(report.at("measurements").at("product").at("left").to_number<double>() ==
          Approx(0.25).margin(0.01));

    const std::string target = "/v1/originals/" + sha256_hex(good) + "/report";
    const auto again = test::request(server.port(), "GET", target, kAcme, "");
    REQUIRE(again.result_int() == 200);
    CHECK(json_of(again) == report);
    CHECK(test::request(server.port(), "GET", target, kShop, "").result_int() == 403);
    CHECK(test::request(server.port(), "GET", target, "", "").result_int() == 401);
}

TEST_CASE("/v1/check reports on a photo and stores nothing", "[integration][brand]") {
    test::ensure_vips();
    TestServer server(with_brands);
    const std::size_t before = stored_files(server);
    const std::string landscape =
        test::read_bytes(test::data_dir() / "corpus" / "recurser__Landscape_5.jpg");

    const auto checked = post(server.port(), kShop, "/v1/check?brand=strict-white", landscape);
    REQUIRE(checked.result_int() == 200);
    const auto report = json_of(checked);
    CHECK(report.at("brand") == "strict-white");
    CHECK(report.at("role") == "main");
    CHECK(report.at("blocked") == true);
    CHECK(verdict_of(report, "background") == "fail");

    // Without ?brand= the caller's own brand applies.
    const auto own = post(server.port(), kShop, "/v1/check?role=main", landscape);
    REQUIRE(own.result_int() == 200);
    CHECK(json_of(own).at("brand") == "cream");
    CHECK(verdict_of(json_of(own), "aspect") == "fail");

    CHECK(stored_files(server) == before);
    CHECK(test::request(server.port(), "GET", "/v1/originals/" + sha256_hex(landscape), kShop, "")
              .result_int() == 404);

    CHECK(post(server.port(), kShop, "/v1/check?brand=nope", landscape).result_int() == 404);
    CHECK(post(server.port(), kShop, "/v1/check?role=hero", landscape).result_int() == 400);
    CHECK(post(server.port(), kShop, "/v1/check?colour=red", landscape).result_int() == 400);
    CHECK(post(server.port(), "", "/v1/check", landscape).result_int() == 401);
    CHECK(post(server.port(), kShop, "/v1/check", "not an image").result_int() == 415);
}

TEST_CASE("main renditions get the brand's fixes and background, other presets do not",
          "[integration][brand][fix]") {
    test::ensure_vips();
    TestServer server(with_brands);
    const std::string wide = test::jpeg_of(test::product_shot(1600, 1000, 500, 550, 250));
    const auto created = post(server.port(), kShop, "/v1/originals", wide);
    REQUIRE(created.result_int() == 201);
    const auto record = json_of(created);
    const auto& rules = record.at("brand_report").at("rules").as_array();
    REQUIRE_FALSE(rules.empty());
    CHECK(rules[0].at("rule") == "aspect");
    CHECK(rules[0].at("fix").at("name") == "pad_aspect");
    CHECK(rules[0].at("fix").at("applied") == true);

    const std::string id = sha256_hex(wide);
    const auto main = test::request(server.port(), "GET", "/i/" + id + "/main.jpg", "", "");
    REQUIRE(main.result_int() == 200);
    const vips::VImage padded =
        vips::VImage::new_from_buffer(main.body().data(), main.body().size(), "");
    CHECK(padded.width() == 800);
    CHECK(padded.height() == 800);
    const auto corner = padded.getpoint(3, 3);
    CHECK(corner[0] == Approx(245).margin(4));  // the brand's cream, not white
    CHECK(corner[2] == Approx(234).margin(4));

    const auto detail = test::request(server.port(), "GET", "/i/" + id + "/detail.jpg", "", "");
    REQUIRE(detail.result_int() == 200);
    const vips::VImage plain =
        vips::VImage::new_from_buffer(detail.body().data(), detail.body().size(), "");
    CHECK(plain.width() == 1600);
    CHECK(plain.height() == 1000);
}

TEST_CASE("a multipart upload stores the passing photos and reports the refused one",
          "[integration][brand]") {
    test::ensure_vips();
    TestServer server(with_brands);
    const std::string good = test::jpeg_of(test::product_shot(1000, 1000, 500, 250, 250));
    const std::string small = test::jpeg_of(test::product_shot(600, 600, 300, 150, 150));
    const std::string boundary = "----imglineBrandBoundary";
    std::string body;
    for (const auto& [name, bytes] :
         {std::pair<std::string, std::string>{"good.jpg", good}, {"small.jpg", small}}) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
                name + "\"\r\nContent-Type: image/jpeg\r\n\r\n" + bytes + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    const auto answer = test::request(
        server.port(), "POST", "/v1/originals",
        kAcme + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n", body);
    REQUIRE(answer.result_int() == 201);
    const auto entries = json_of(answer).at("originals").as_array();
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].at("created") == true);
    CHECK(entries[1].at("error").at("code") == "brand_rules_failed");
    CHECK(entries[1].at("report").at("blocked") == true);
    CHECK(test::request(server.port(), "GET", "/v1/originals/" + sha256_hex(small), kAcme, "")
              .result_int() == 404);
}
