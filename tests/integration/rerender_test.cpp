// Re-rendering ahead of viewers (POST /v1/admin/rerender): admins only, clear refusals, one job
// at a time, what viewers asked for first, then every original with all=true; renditions already
// cached are skipped.
#include "common/sha256.h"
#include "tests/support/http_client.h"
#include "tests/support/parties.h"
#include "tests/support/test_server.h"
#include "tests/support/vips_fixtures.h"

#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace imgline;
using namespace std::chrono_literals;
using test::TestServer;

namespace {

using test::kAcme;
using test::kOps;

void with_parties(config::Config& config) {
    test::with_parties(config);
    config.storage.prerender = false;
}

boost::json::object status_of(const TestServer& server) {
    const auto answer = test::request(server.port(), "GET", "/v1/admin/rerender", kOps);
    REQUIRE(answer.result_int() == 200);
    return boost::json::parse(answer.body()).as_object();
}

boost::json::object wait_until_finished(const TestServer& server) {
    auto status = status_of(server);
    for (int i = 0; i < 600 && status.at("state") == "running"; ++i) {
        std::this_thread::sleep_for(50ms);
        status = status_of(server);
    }
    return status;
}

}  // namespace

TEST_CASE("a re-render renders what viewers asked for first, then every original",
          "[integration][rerender]") {
    TestServer server(with_parties);
    CHECK(status_of(server).at("state") == "idle");
    const auto photos = test::distinct_photos(3);
    std::vector<std::string> ids;
    for (const auto& photo : photos) {
        REQUIRE(test::request(server.port(), "POST", "/v1/originals",
                              kAcme + "Content-Type: image/jpeg\r\n", photo)
                    .result_int() == 201);
        ids.push_back(sha256_hex(photo));
    }
    // Viewers asked for one rendition (it is cached by that).
    REQUIRE(test::request(server.port(), "GET", "/i/" + ids[0] + "/thumb.jpg").result_int() == 200);

    const auto started = test::request(server.port(), "POST",
                                       "/v1/admin/rerender?presets=thumb&per_second=100", kOps);
    REQUIRE(started.result_int() == 202);
    auto status = wait_until_finished(server);
    CHECK(status.at("state") == "done");
    CHECK(status.at("planned").to_number<int>() == 1);
    CHECK(status.at("already_there").to_number<int>() == 1);  // the viewer's render
    CHECK(status.at("rendered").to_number<int>() == 0);

    // Every original too: 3 originals × 2 formats (webp, jpeg), one of them already there.
    REQUIRE(test::request(server.port(), "POST",
                          "/v1/admin/rerender?presets=thumb&per_second=100&all=true", kOps)
                .result_int() == 202);
    status = wait_until_finished(server);
    CHECK(status.at("state") == "done");
    CHECK(status.at("rendered").to_number<int>() == 5);
    CHECK(status.at("already_there").to_number<int>() == 1);
    CHECK(status.at("failed").to_number<int>() == 0);
    // Now viewers find them ready: no render for any of them.
    const double renders =
        test::metric_sum(server.port(), "imgline_rendition_requests_total", "result=\"render\"");
    for (const auto& id : ids) {
        for (const char* ext : {"jpg", "webp"}) {
            CHECK(test::request(server.port(), "GET", "/i/" + id + "/thumb." + ext).result_int() ==
                  200);
        }
    }
    CHECK(test::metric_sum(server.port(), "imgline_rendition_requests_total",
                           "result=\"render\"") == renders);
}

TEST_CASE("re-renders are for admins, one at a time, with clear refusals",
          "[integration][rerender]") {
    TestServer server(with_parties);
    const auto photos = test::distinct_photos(3);
    for (const auto& photo : photos) {
        REQUIRE(test::request(server.port(), "POST", "/v1/originals",
                              kAcme + "Content-Type: image/jpeg\r\n", photo)
                    .result_int() == 201);
    }
    auto post = [&](const std::string& query, const std::string& auth) {
        return test::request(server.port(), "POST", "/v1/admin/rerender" + query, auth)
            .result_int();
    };
    CHECK(post("?presets=thumb", kAcme) == 403);
    CHECK(post("?presets=thumb", "") == 401);
    CHECK(post("?presets=nosuch", kOps) == 404);
    CHECK(post("", kOps) == 400);
    CHECK(post("?presets=thumb&per_second=0", kOps) == 400);
    CHECK(post("?presets=thumb&per_second=fast", kOps) == 400);
    CHECK(post("?presets=thumb&all=yes", kOps) == 400);
    // A slow job (a render every 2 s): a second one is refused while it runs.
    CHECK(post("?presets=list&all=true&per_second=0.5", kOps) == 202);
    CHECK(post("?presets=thumb", kOps) == 409);
    CHECK(status_of(server).at("state") == "running");
}
