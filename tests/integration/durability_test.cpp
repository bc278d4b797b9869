// Nothing acknowledged is ever lost: the real binary is killed with SIGKILL while uploads are
// in flight, restarted, and every upload that got a 201 must be there, byte for byte, with no
// partial file visible. And a full disk answers 507 while reads keep working.
#include "common/sha256.h"
#include "storage/durable_file.h"
#include "storage/local_store.h"
#include "tests/support/corpus.h"
#include "tests/support/http_client.h"
#include "tests/support/killed_uploads.h"
#include "tests/support/process.h"
#include "tests/support/test_server.h"
#include "tests/support/vips_fixtures.h"

#include <atomic>
#include <csignal>
#include <filesystem>
#include <random>
#include <sys/mount.h>
#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <vips/vips8>

using namespace imgline;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const std::string kParties = "IMGLINE_PARTIES=supplier:acme:crash-key";
const std::string kAuth = "Authorization: Bearer crash-key\r\nContent-Type: image/jpeg\r\n";

std::size_t temporaries_under(const fs::path& root) {
    std::size_t count = 0;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        count += entry.path().filename().string().starts_with(storage::kTemporaryPrefix) ? 1 : 0;
    }
    return count;
}

}  // namespace

TEST_CASE("uploads acknowledged before a SIGKILL survive it, whole", "[integration][durability]") {
    test::TempDir data;
    test::ensure_vips();
    const auto photos = test::distinct_photos(60);
    const auto acknowledged = test::upload_through_kills(
        [&](std::unique_ptr<test::ChildProcess>& child) {
            return test::start_imgline(child, data.path().string(), {kParties});
        },
        kAuth, photos, 6);
    REQUIRE(acknowledged.size() >= 5);

    // Restarting cleans up whatever a killed write left, then every acknowledged upload reads
    // back as it was sent.
    std::unique_ptr<test::ChildProcess> child;
    const auto port = test::start_imgline(child, data.path().string(), {kParties});
    CHECK(temporaries_under(data.path()) == 0);
    for (const auto& [id, bytes] : acknowledged) {
        CAPTURE(id);
        const auto response = test::request(port, "GET", "/v1/originals/" + id, kAuth);
        CHECK(response.result_int() == 200);
    }
    child->signal(SIGTERM);
    REQUIRE(child->wait(15s) == 0);
    auto store = storage::LocalStore::open(data.path().string());
    REQUIRE(store);
    for (const auto& [id, bytes] : acknowledged) {
        CAPTURE(id);
        const auto stored = store->read(id);
        REQUIRE(stored);
        CHECK(*stored == bytes);
        CHECK(sha256_hex(*stored) == id);
    }
}

TEST_CASE("a full disk answers 507 and reads keep working", "[integration][durability]") {
    test::TempDir mount_point;
    if (::geteuid() != 0 ||
        ::mount("tmpfs", mount_point.path().c_str(), "tmpfs", 0, "size=1m") != 0) {
        WARN("skipped: mounting a small tmpfs needs root (and mount rights in this sandbox)");
        return;
    }

    struct Unmount {
        std::string path;

        ~Unmount() {
            ::umount2(path.c_str(), MNT_DETACH);
        }
    } unmount{mount_point.path().string()};

    test::TestServer server([&](config::Config& config) {
        config.storage.data_dir = mount_point.path().string();
        config.parties = {{"supplier", "acme", {sha256_hex("crash-key")}, ""}};
    });
    const auto photos = test::distinct_photos(200);
    std::vector<std::string> stored_ids;
    int status = 0;
    for (const auto& photo : photos) {
        const auto response = test::request(server.port(), "POST", "/v1/originals", kAuth, photo);
        status = static_cast<int>(response.result_int());
        if (status != 201) {
            break;
        }
        stored_ids.emplace_back(boost::json::parse(response.body()).at("id").as_string());
    }
    REQUIRE(status == 507);
    REQUIRE_FALSE(stored_ids.empty());
    CHECK(test::request(server.port(), "GET", "/healthz").result_int() == 200);
    for (const auto& id : stored_ids) {
        CHECK(test::request(server.port(), "GET", "/v1/originals/" + id, kAuth).result_int() ==
              200);
    }
    CHECK(temporaries_under(mount_point.path()) == 0);
}
