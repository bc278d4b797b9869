// Product slot URLs through a real nginx edge configured by `imgline edge-config`: a shop's slot
// URL shows the first photo, the supplier reshoots into the same slot and the edge shows the new
// photo at once (the purge) or, when the edge refuses purges, once products.slot_max_age has
// passed (revalidation); pointing the slot back restores the first photo.
#include "common/sha256.h"
#include "tests/support/corpus.h"
#include "tests/support/http_client.h"
#include "tests/support/nginx_edge.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"
#include "tests/support/vips_fixtures.h"

#include <fstream>
#include <thread>

#include <catch2/catch.hpp>

using namespace imgline;
using namespace std::chrono_literals;
using test::TestServer;

namespace {

const std::string kAcme = "Authorization: Bearer acme-secret-key\r\n";
const std::string kPath = "/p/acme/SKU-1/main/thumb.jpg";

// An origin and one nginx edge in front of it, taking purges from `purge_from` only.
class SlotEdge {
public:
    SlotEdge(const std::string& purge_from, std::chrono::milliseconds slot_max_age)
        : edge_("any", "default", "127.0.0.2") {
        origin_ = std::make_unique<TestServer>([&](config::Config& config) {
            config.parties = {{"supplier", "acme", {sha256_hex("acme-secret-key")}, ""}};
            config.products.slot_max_age = slot_max_age;
            config::EdgeConfig entry;
            entry.name = edge_.name;
            entry.carrier = edge_.carrier;
            entry.base_url = edge_.base();
            config.edges = {entry};
        });
        {
            std::ofstream file(folder_.path() / "imgline.toml");
            file << "[[edges]]\nname = \"any\"\ncarrier = \"default\"\nbase_url = \""
                 << edge_.base() << "\"\n";
        }
        edge_.configure(folder_.path(), folder_.path() / "imgline.toml",
                        {"127.0.0.1:" + std::to_string(origin_->port())}, purge_from);
        edge_.start(folder_.path());
    }

    TestServer& origin() {
        return *origin_;
    }

    test::Response at_edge(const std::string& target) {
        return test::request_to(edge_.address, edge_.port, "GET", target);
    }

    // What the origin itself renders for `id` (the bytes the slot URL must show).
    std::string rendition_of(const std::string& id) {
        const auto direct = test::request(origin_->port(), "GET", "/i/" + id + "/thumb.jpg");
        REQUIRE(direct.result_int() == 200);
        return direct.body();
    }

    void upload_into_slot(const std::string& photo) {
        REQUIRE(test::request(origin_->port(), "POST", "/v1/originals?sku=SKU-1&slot=main",
                              kAcme + "Content-Type: image/jpeg\r\n", photo)
                    .result_int() == 201);
    }

    void point_slot_at(const std::string& id) {
        REQUIRE(test::request(origin_->port(), "PUT", "/v1/products/SKU-1/slots/main",
                              kAcme + "Content-Type: application/json\r\n",
                              "{\"id\":\"" + id + "\"}")
                    .result_int() == 200);
    }

    // Asks the edge until it shows `expected` (at most `patience`); true when it did.
    bool edge_shows(const std::string& expected, std::chrono::milliseconds patience) {
        const auto until = std::chrono::steady_clock::now() + patience;
        do {
            const auto shown = at_edge(kPath);
            if (shown.result_int() == 200 && shown.body() == expected) {
                return true;
            }
            std::this_thread::sleep_for(50ms);
        } while (std::chrono::steady_clock::now() < until);
        return false;
    }

private:
    test::TempDir folder_;
    test::NginxEdge edge_;
    std::unique_ptr<TestServer> origin_;
};

}  // namespace

TEST_CASE("a reshoot into a slot reaches the edge at once through the purge, and back",
          "[integration][edges][nginx][products]") {
    test::ensure_vips();
    SlotEdge fleet("127.0.0.1", 60s);
    const auto photos = test::distinct_photos(2);
    fleet.upload_into_slot(photos[0]);
    const std::string first = fleet.rendition_of(sha256_hex(photos[0]));

    const auto shown = fleet.at_edge(kPath);
    REQUIRE(shown.result_int() == 200);
    CHECK(shown.body() == first);
    CHECK(shown["X-Cache"] == "MISS");
    CHECK(fleet.at_edge(kPath)["X-Cache"] == "HIT");

    // The reshoot: with a minute of max-age, only the purge can make the edge show it now.
    fleet.upload_into_slot(photos[1]);
    const std::string second = fleet.rendition_of(sha256_hex(photos[1]));
    CHECK(fleet.edge_shows(second, 30s));
    CHECK(test::metric_sum(fleet.origin().port(), "imgline_purge_requests_total",
                           "result=\"acknowledged\"") > 0);

    // Pointed back: the first photo again, at once.
    fleet.point_slot_at(sha256_hex(photos[0]));
    CHECK(fleet.edge_shows(first, 30s));
}

TEST_CASE("with the edge refusing purges, a slot change shows once slot_max_age has passed",
          "[integration][edges][nginx][products]") {
    test::ensure_vips();
    constexpr auto kMaxAge = 3s;
    SlotEdge fleet("127.0.0.9", kMaxAge);  // purges from the origin get 403
    const auto photos = test::distinct_photos(2);
    fleet.upload_into_slot(photos[0]);
    const std::string first = fleet.rendition_of(sha256_hex(photos[0]));
    REQUIRE(fleet.at_edge(kPath).body() == first);
    const auto cached_at = std::chrono::steady_clock::now();
    CHECK(fleet.at_edge(kPath)["X-Cache"] == "HIT");

    // Unchanged, the copy is asked after once it is older than the max-age: a 304.
    std::this_thread::sleep_until(cached_at + kMaxAge + 2s);
    const auto revalidated = fleet.at_edge(kPath);
    CHECK(revalidated["X-Cache"] == "REVALIDATED");
    CHECK(revalidated.body() == first);

    // The reshoot's purge is refused; once the edge's copy is older than the max-age, the edge
    // asks again and shows the new photo.
    const auto changed_at = std::chrono::steady_clock::now();  // the edge's copy is newer
    fleet.upload_into_slot(photos[1]);
    const std::string second = fleet.rendition_of(sha256_hex(photos[1]));
    const auto meanwhile = fleet.at_edge(kPath);
    if (std::chrono::steady_clock::now() - changed_at < kMaxAge - 1s) {  // a fast enough machine
        CHECK(meanwhile.body() == first);  // the purge did not reach the edge
    }
    CHECK(test::metric_sum(fleet.origin().port(), "imgline_purges_pending") > 0);
    // nginx keeps expiry times in whole seconds: a copy may live up to a second past max-age.
    std::this_thread::sleep_until(changed_at + kMaxAge + 2s);
    const auto after = fleet.at_edge(kPath);
    REQUIRE(after.result_int() == 200);
    CHECK(after.body() == second);
}
