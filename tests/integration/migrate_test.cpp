// `imgline migrate --from local:DIR --to s3`, the real binary against the Swift store: every
// original, mezzanine, record and tombstone arrives and is served by an origin on the store;
// a second run copies nothing; a run stopped part-way resumes where it stopped.
#include "common/sha256.h"
#include "server/object_http_pool.h"
#include "storage/local_store.h"
#include "storage/s3_store.h"
#include "storage/store_migration.h"
#include "tests/support/corpus.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/s3_test_server.h"
#include "tests/support/test_server.h"
#include "tests/support/vips_fixtures.h"

#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace imgline;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const std::string kAcme = "Authorization: Bearer acme-secret-key\r\n";
const std::string kShop = "Authorization: Bearer shop-secret-key\r\n";

std::vector<config::PartyConfig> parties() {
    return {{"supplier", "acme", {sha256_hex("acme-secret-key")}, ""},
            {"distributor", "shop", {sha256_hex("shop-secret-key")}, ""}};
}

test::RunResult migrate(const std::string& dir, const config::S3Config& s3) {
    return test::run_command(
        "/usr/bin/env",
        {"IMGLINE_STORAGE__S3__ENDPOINT=" + s3.endpoint, "IMGLINE_STORAGE__S3__BUCKET=" + s3.bucket,
         "IMGLINE_STORAGE__S3__PREFIX=" + s3.prefix, "IMGLINE_STORAGE__S3__REGION=" + s3.region,
         "IMGLINE_STORAGE__S3__ACCESS_KEY_ID=" + s3.access_key_id,
         "IMGLINE_STORAGE__S3__SECRET_ACCESS_KEY=" + s3.secret_access_key, IMGLINE_BINARY,
         "migrate", "--from", "local:" + dir, "--to", "s3"},
        120s);
}

std::size_t lines_in(const std::string& path) {
    std::ifstream file(path);
    std::size_t count = 0;
    for (std::string line; std::getline(file, line);) {
        count += line.empty() ? 0 : 1;
    }
    return count;
}

}  // namespace

TEST_CASE("imgline migrate copies a data directory to the store, checked, and resumes",
          "[integration][s3][migrate]") {
    test::ensure_vips();
    test::TempDir data;
    std::string kept;
    std::string shared;
    std::string deleted;
    std::string kept_record;
    {
        // A local origin with what a shop's data directory holds.
        test::TestServer local([&](config::Config& config) {
            config.storage.data_dir = data.path().string();
            config.parties = parties();
        });
        const std::string photo =
            test::read_bytes(test::data_dir() / "corpus" / "recurser__Landscape_6.jpg");
        const auto photos = test::distinct_photos(2);
        auto upload = [&](const std::string& auth, const std::string& bytes) {
            const auto stored = test::request(local.port(), "POST", "/v1/originals?sku=SKU-7",
                                              auth + "Content-Type: image/jpeg\r\n", bytes);
            REQUIRE((stored.result_int() == 201 || stored.result_int() == 200));
            return std::string(boost::json::parse(stored.body()).at("id").as_string());
        };
        kept = upload(kAcme, photo);  // large enough for mezzanines
        shared = upload(kAcme, photos[0]);
        REQUIRE(upload(kShop, photos[0]) == shared);
        deleted = upload(kAcme, photos[1]);
        REQUIRE(
            test::request(local.port(), "DELETE", "/v1/originals/" + deleted, kAcme).result_int() ==
            200);
        kept_record = test::request(local.port(), "GET", "/v1/originals/" + kept, kAcme).body();
        REQUIRE(test::request(local.port(), "PUT", "/v1/products/SKU-7/slots/main",
                              kAcme + "Content-Type: application/json\r\n",
                              "{\"id\":\"" + kept + "\"}")
                    .result_int() == 200);
    }
    auto inventory = storage::LocalStore::open(data.path().string())->inventory();
    REQUIRE(inventory);
    // Two originals, their mezzanines, three records, a tombstone and a product, last.
    CHECK(inventory->size() >= 8);
    CHECK(inventory->back().name() == "product/acme/SKU-7");

    const auto s3 = test::s3_settings(IMGLINE_S3_TEST_DIR, "migrate");
    const auto first = migrate(data.path().string(), s3);
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(first.out.find("objects " + std::to_string(inventory->size()) + ", copied " +
                         std::to_string(inventory->size())) != std::string::npos);

    {
        auto store = storage::S3Store::open(s3, server::pooled_object_http());
        REQUIRE(store);
        auto local = storage::LocalStore::open(data.path().string());
        for (const auto& item : *inventory) {
            CAPTURE(item.name());
            CHECK((*store)->read_item(item).value() == local->read_item(item).value());
        }
        CHECK((*store)->is_deleted(deleted));
        CHECK((*store)->owners_of(shared).value() == std::vector<std::string>{"acme", "shop"});
        const auto listed = (*store)->list("acme", "SKU-7", "", 10);
        REQUIRE(listed);
        CHECK(listed->items.size() == 2);
    }

    // An origin on the store serves what was migrated, as the local one did.
    {
        test::TestServer origin([&](config::Config& config) {
            config.storage.kind = "s3";
            config.storage.s3 = s3;
            config.parties = parties();
        });
        CHECK(test::request(origin.port(), "GET", "/v1/originals/" + kept, kAcme).body() ==
              kept_record);
        CHECK(test::request(origin.port(), "GET", "/i/" + kept + "/list.jpg").result_int() == 200);
        // The product's slot came along: its URL shows the same original.
        CHECK(test::request(origin.port(), "GET", "/p/acme/SKU-7/main/list.jpg").body() ==
              test::request(origin.port(), "GET", "/i/" + kept + "/list.jpg").body());
        CHECK(test::request(origin.port(), "GET", "/i/" + deleted + "/list.jpg").result_int() ==
              410);
        CHECK(test::metric_sum(origin.port(), "imgline_render_sources_total",
                               "source=\"mezzanine\"") == 1);
    }

    // Run again: nothing to copy.
    const auto again = migrate(data.path().string(), s3);
    REQUIRE(again.exit_code == 0);
    CHECK(again.out.find("copied 0 (0 MB, each read back and checked), copied before " +
                         std::to_string(inventory->size())) != std::string::npos);

    // Stopped part-way (the checkpoint holds two whole lines and one cut short): the next run
    // copies the rest.
    const std::string checkpoint = storage::checkpoint_path(data.path().string(), s3);
    REQUIRE(lines_in(checkpoint) == inventory->size());
    std::ifstream in(checkpoint);
    std::string line1;
    std::string line2;
    std::getline(in, line1);
    std::getline(in, line2);
    in.close();
    std::ofstream(checkpoint, std::ios::trunc) << line1 << "\n" << line2 << "\nrecord/ab";
    const auto resumed = migrate(data.path().string(), s3);
    REQUIRE(resumed.exit_code == 0);
    CHECK(resumed.out.find("copied " + std::to_string(inventory->size() - 2) + " (") !=
          std::string::npos);
    CHECK(resumed.out.find("copied before 2,") != std::string::npos);
}

TEST_CASE("imgline migrate refuses what it cannot do, plainly", "[integration][migrate]") {
    test::TempDir data;
    CHECK(
        test::run_command(IMGLINE_BINARY, {"migrate", "--from", data.path().string(), "--to", "s3"})
            .exit_code == 2);
    const auto not_a_store = test::run_command(
        IMGLINE_BINARY, {"migrate", "--from", "local:" + data.path().string(), "--to", "s3"});
    CHECK(not_a_store.exit_code == 2);
    CHECK(not_a_store.err.find("not an imgline data directory") != std::string::npos);
    fs::create_directories(data.path() / "originals");
    const auto no_store = test::run_command(
        IMGLINE_BINARY, {"migrate", "--from", "local:" + data.path().string(), "--to", "s3"});
    CHECK(no_store.exit_code == 2);  // [storage.s3] is not configured
    CHECK(no_store.err.find("storage.s3.") != std::string::npos);
}
