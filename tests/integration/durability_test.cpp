// Nothing acknowledged is ever lost: the real binary is killed with SIGKILL while uploads are
// in flight, restarted, and every upload that got a 201 must be there, byte for byte, with no
// partial file visible. And a full disk answers 507 while reads keep working.
#include "common/sha256.h"
#include "storage/durable_file.h"
#include "storage/local_store.h"
#include "tests/support/corpus.h"
#include "tests/support/http_client.h"
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

const std::string kBinary = IMGLINE_BINARY;
const std::string kAuth = "Authorization: Bearer crash-key\r\nContent-Type: image/jpeg\r\n";

// Distinct small photos: noise differs, so every one has its own id.
std::vector<std::string> distinct_photos(int count) {
    test::ensure_vips();
    std::vector<std::string> photos;
    for (int i = 0; i < count; ++i) {
        const vips::VImage noise =
            vips::VImage::gaussnoise(160, 120, vips::VImage::option()->set("sigma", 30 + i))
                .bandjoin(vips::VImage::black(160, 120) + i)
                .bandjoin(vips::VImage::black(160, 120) + 2 * i)
                .cast(VIPS_FORMAT_UCHAR)
                .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
        photos.push_back(test::jpeg_of(noise, 90));
    }
    return photos;
}

unsigned short start_server(std::unique_ptr<test::ChildProcess>& child, const fs::path& data) {
    child = std::make_unique<test::ChildProcess>(
        kBinary,
        std::vector<std::string>{"serve", "--listen", "127.0.0.1:0", "--data", data.string()},
        std::vector<std::string>{"IMGLINE_PARTIES=supplier:acme:crash-key"});
    const auto line = child->wait_for_stderr_line("serving on http://", 20s);
    REQUIRE(line);
    const auto colon = line->rfind(':', line->find('/', line->find("http://") + 7));
    return static_cast<unsigned short>(std::stoi(line->substr(colon + 1)));
}

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
    const auto photos = distinct_photos(60);
    std::map<std::string, std::string> acknowledged;  // id → bytes
    std::mt19937 random(12345);
    std::size_t next = 0;
    for (int round = 0; round < 6 && next < photos.size(); ++round) {
        std::unique_ptr<test::ChildProcess> child;
        const auto port = start_server(child, data.path());
        std::atomic<bool> killed{false};
        const auto delay = std::chrono::milliseconds(60 + random() % 240);
        std::thread killer([&] {
            std::this_thread::sleep_for(delay);
            child->signal(SIGKILL);
            killed = true;
        });
        while (next < photos.size()) {
            try {
                const auto response =
                    test::request(port, "POST", "/v1/originals", kAuth, photos[next]);
                if (response.result_int() == 201 || response.result_int() == 200) {
                    const auto id = boost::json::parse(response.body()).at("id").as_string();
                    acknowledged[std::string(id)] = photos[next];
                }
                ++next;
            } catch (const std::runtime_error&) {
                break;  // the server died under this request: it was never acknowledged
            }
            if (killed) {
                break;
            }
        }
        killer.join();
        child->wait(10s);
    }
    REQUIRE(acknowledged.size() >= 5);

    // Restarting cleans up whatever a killed write left, then every acknowledged upload reads
    // back as it was sent.
    std::unique_ptr<test::ChildProcess> child;
    const auto port = start_server(child, data.path());
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
    const auto photos = distinct_photos(200);
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
