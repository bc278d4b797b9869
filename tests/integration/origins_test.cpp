// Several origins over one S3-compatible store (Swift with s3api): any origin serves any
// original, renditions are the same bytes with the same ETag everywhere, a delete through one
// origin is a 410 on the others within the consistency TTL, and purges owed to an edge outlive
// the origin that journalled them. Also what a failing store and a killed origin do.
#include "common/sha256.h"
#include "server/object_http_pool.h"
#include "storage/s3_store.h"
#include "tests/support/corpus.h"
#include "tests/support/http_client.h"
#include "tests/support/killed_uploads.h"
#include "tests/support/nginx_edge.h"
#include "tests/support/s3_test_server.h"
#include "tests/support/test_server.h"
#include "tests/support/vips_fixtures.h"

#include <fstream>
#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace imgline;
using namespace std::chrono_literals;
using test::TestServer;

namespace {

const std::string kAcme = "Authorization: Bearer acme-secret-key\r\n";
const std::string kUpload = kAcme + "Content-Type: image/jpeg\r\n";

// An origin on the S3 store `s3`, knowing `edges`.
std::unique_ptr<TestServer> origin_on(const config::S3Config& s3,
                                      const std::vector<config::EdgeConfig>& edges = {}) {
    return std::make_unique<TestServer>([&](config::Config& config) {
        config.storage.kind = "s3";
        config.storage.s3 = s3;
        config.parties = {{"supplier", "acme", {sha256_hex("acme-secret-key")}, ""}};
        config.edges = edges;
        if (!edges.empty()) {
            config.carriers.data_dir = test::carrier_lists_dir().string();
        }
        config.carriers.health_interval = 200ms;
        config.carriers.health_fall = 2;
        config.carriers.health_rise = 2;
    });
}

std::string upload(TestServer& origin, const std::string& photo) {
    const auto stored = test::request(origin.port(), "POST", "/v1/originals", kUpload, photo);
    INFO(stored.body());
    REQUIRE(stored.result_int() == 201);
    return std::string(boost::json::parse(stored.body()).at("id").as_string());
}

// Polls `status_of` until it gives `wanted` (at most `patience`); the last status seen.
int wait_for_status(const std::function<int()>& status_of,
                    int wanted,
                    std::chrono::milliseconds patience = 10s) {
    const auto until = std::chrono::steady_clock::now() + patience;
    int status = status_of();
    while (status != wanted && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(50ms);
        status = status_of();
    }
    return status;
}

int image_requests(TestServer& origin) {
    return static_cast<int>(
        test::metric_sum(origin.port(), "imgline_http_requests_total", "route=\"image\""));
}

}  // namespace

TEST_CASE(
    "two origins on one store: same renditions, deletes seen by both, purges outlive "
    "the origin that journalled them",
    "[integration][s3][origins][nginx]") {
    test::ensure_vips();
    const auto s3 = test::s3_settings(IMGLINE_S3_TEST_DIR, "origins");
    test::TempDir folder;
    test::NginxEdge edge("cu", "unicom", "127.0.0.3");
    config::EdgeConfig entry;
    entry.name = edge.name;
    entry.carrier = edge.carrier;
    entry.base_url = edge.base();
    entry.health_url = edge.base() + "/healthz";
    std::ofstream(folder.path() / "imgline.toml")
        << "[[edges]]\nname = \"cu\"\ncarrier = \"unicom\"\nbase_url = \"" << edge.base()
        << "\"\n\n[carriers]\ndata_dir = \"" << test::carrier_lists_dir().string() << "\"\n";

    auto first = origin_on(s3, {entry});
    auto second = origin_on(s3, {entry});
    const std::string photo =
        test::read_bytes(test::data_dir() / "corpus" / "recurser__Landscape_6.jpg");
    const std::string id = upload(*first, photo);

    // Uploaded through the first, viewed through the second: the same bytes and ETag.
    const std::string path = "/i/" + id + "/list.jpg";
    const auto from_first = test::request(first->port(), "GET", path);
    const auto from_second = test::request(second->port(), "GET", path);
    REQUIRE(from_first.result_int() == 200);
    REQUIRE(from_second.result_int() == 200);
    CHECK(from_first.body() == from_second.body());
    CHECK(from_first["ETag"] == from_second["ETag"]);
    CHECK(test::request(second->port(), "GET", "/v1/originals/" + id, kAcme).result_int() == 200);

    // The edge fetches through the second origin only, once, then serves from its cache.
    edge.configure(folder.path(), folder.path() / "imgline.toml",
                   {"127.0.0.1:" + std::to_string(second->port())}, "127.0.0.1");
    edge.start(folder.path());
    const int first_before = image_requests(*first);
    const int second_before = image_requests(*second);
    const auto fetched = test::request_to(edge.address, edge.port, "GET", path);
    REQUIRE(fetched.result_int() == 200);
    CHECK(fetched.body() == from_first.body());
    CHECK(test::request_to(edge.address, edge.port, "GET", path)["X-Cache"] == "HIT");
    CHECK(image_requests(*second) == second_before + 1);
    CHECK(image_requests(*first) == first_before);

    // The edge is down when the second origin deletes the original: the purge stays owed.
    edge.stop();
    REQUIRE(test::request(second->port(), "DELETE", "/v1/originals/" + id, kAcme).result_int() ==
            200);
    // The first origin learns of the delete from the store (TTL 1 s here; waited for up to
    // 10 s so a loaded machine cannot fail the test; bench/s3 measures it).
    CHECK(wait_for_status([&] { return test::request(first->port(), "GET", path).result_int(); },
                          410) == 410);
    CHECK(test::request(first->port(), "GET", "/i/" + id + "/thumb.webp").result_int() == 410);

    // The second origin is lost before the edge returns. The edge comes back fetching from the
    // first, its cache intact; the first origin sends the purge the second journalled.
    second.reset();
    edge.configure(folder.path(), folder.path() / "imgline.toml",
                   {"127.0.0.1:" + std::to_string(first->port())}, "127.0.0.1");
    edge.start(folder.path());
    CHECK(wait_for_status(
              [&] { return test::request_to(edge.address, edge.port, "GET", path).result_int(); },
              410, 20s) == 410);
    int owed = -1;
    for (int i = 0; i < 100 && owed != 0; ++i) {
        owed = static_cast<int>(first->services().purge_journal->pending("cu").size());
        std::this_thread::sleep_for(50ms);
    }
    CHECK(owed == 0);
}

TEST_CASE(
    "while the store is down: cached renditions served, the rest 503 with Retry-After, "
    "/readyz says why, and service comes back by itself",
    "[integration][s3][failure]") {
    test::ensure_vips();
    test::OwnS3Server swift;
    auto s3 = test::s3_settings(swift.dir(), "failing");
    s3.retries = 1;
    s3.timeout = 2s;
    auto origin = origin_on(s3);
    const auto photos = test::distinct_photos(2);
    const std::string id = upload(*origin, photos[0]);
    const std::string cached = "/i/" + id + "/list.jpg";
    REQUIRE(test::request(origin->port(), "GET", cached).result_int() == 200);

    swift.pause();
    CHECK(test::request(origin->port(), "GET", "/healthz").result_int() == 200);
    const auto still = test::request(origin->port(), "GET", cached);
    CHECK(still.result_int() == 200);

    const auto not_cached = test::request(origin->port(), "GET", "/i/" + id + "/main.webp");
    CHECK(not_cached.result_int() == 503);
    CHECK_FALSE(std::string(not_cached["Retry-After"]).empty());
    const auto refused = test::request(origin->port(), "POST", "/v1/originals", kUpload, photos[1]);
    CHECK(refused.result_int() == 503);
    CHECK_FALSE(std::string(refused["Retry-After"]).empty());
    const auto not_deleted = test::request(origin->port(), "DELETE", "/v1/originals/" + id, kAcme);
    CHECK(not_deleted.result_int() == 503);
    CHECK_FALSE(std::string(not_deleted["Retry-After"]).empty());

    const auto unready = test::request(origin->port(), "GET", "/readyz");
    CHECK(unready.result_int() == 503);
    const auto checks = boost::json::parse(unready.body()).at("checks");
    CHECK(checks.at("originals") == "the object store is not answering");
    CHECK(checks.at("storage") == "ok");
    CHECK(test::metric_sum(origin->port(), "imgline_store_requests_total",
                           "result=\"unreachable\"") >= 1);

    swift.resume();
    CHECK(wait_for_status(
              [&] { return test::request(origin->port(), "GET", "/readyz").result_int(); }, 200) ==
          200);
    CHECK(test::request(origin->port(), "GET", "/i/" + id + "/main.webp").result_int() == 200);
    // The refused upload left nothing behind; sent again, it is stored.
    const std::string second_id = sha256_hex(photos[1]);
    CHECK(test::request(origin->port(), "GET", "/v1/originals/" + second_id, kAcme).result_int() ==
          404);
    CHECK(upload(*origin, photos[1]) == second_id);
    CHECK(test::metric_sum(origin->port(), "imgline_store_requests_total", "result=\"ok\"") >= 1);
}

TEST_CASE(
    "an origin killed with SIGKILL during uploads to the store loses nothing it "
    "acknowledged and leaves nothing partial visible",
    "[integration][s3][durability]") {
    test::ensure_vips();
    const auto s3 = test::s3_settings(IMGLINE_S3_TEST_DIR, "killed");
    const std::vector<std::string> env{
        "IMGLINE_PARTIES=supplier:acme:acme-secret-key",
        "IMGLINE_STORAGE__KIND=s3",
        "IMGLINE_STORAGE__PRERENDER=false",
        "IMGLINE_STORAGE__S3__ENDPOINT=" + s3.endpoint,
        "IMGLINE_STORAGE__S3__BUCKET=" + s3.bucket,
        "IMGLINE_STORAGE__S3__PREFIX=" + s3.prefix,
        "IMGLINE_STORAGE__S3__REGION=" + s3.region,
        "IMGLINE_STORAGE__S3__ACCESS_KEY_ID=" + s3.access_key_id,
        "IMGLINE_STORAGE__S3__SECRET_ACCESS_KEY=" + s3.secret_access_key};
    test::TempDir data;
    const auto photos = test::distinct_photos(40);
    const auto acknowledged = test::upload_through_kills(
        [&](std::unique_ptr<test::ChildProcess>& child) {
            return test::start_imgline(child, data.path().string(), env);
        },
        kUpload, photos, 5);
    REQUIRE(acknowledged.size() >= 3);

    // Another origin (in this process) on the same store: every acknowledged upload is there,
    // byte for byte, and every original listed can be read.
    auto store = storage::S3Store::open(s3, server::pooled_object_http());
    REQUIRE(store);
    for (const auto& [id, bytes] : acknowledged) {
        CAPTURE(id);
        const auto stored = (*store)->read(id);
        REQUIRE(stored);
        CHECK(*stored == bytes);
    }
    const auto listed = (*store)->list("acme", "", "", 1000);
    REQUIRE(listed);
    CHECK(listed->items.size() >= acknowledged.size());
    for (const auto& record : listed->items) {
        CAPTURE(record.id);
        const auto bytes = (*store)->read(record.id);
        REQUIRE(bytes);
        CHECK(sha256_hex(*bytes) == record.id);
    }
}
