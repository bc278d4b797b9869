#include "storage/rendition_cache.h"

#include "tests/support/temp_dir.h"

#include <filesystem>

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::storage;

namespace {

std::shared_ptr<const CachedRendition> rendition(std::size_t size, char fill = 'x') {
    auto made = std::make_shared<CachedRendition>();
    made->bytes.assign(size, fill);
    made->format = ImageFormat::Webp;
    made->width = 10;
    made->height = 20;
    made->quality = 77;
    made->encodes = 2;
    made->rendered_at = 1'800'000'000;
    return made;
}

std::uint64_t bytes_on_disk(const std::filesystem::path& dir) {
    std::uint64_t total = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        total += entry.file_size();
    }
    return total;
}

}  // namespace

TEST_CASE("both cache tiers stay within their byte limits under a stream of renditions",
          "[unit][storage][cache]") {
    test::TempDir dir;
    RenditionCache cache(10'000, (dir.path() / "cache").string(), 30'000);
    for (int i = 0; i < 100; ++i) {
        cache.put("key-" + std::to_string(i), rendition(1'000 + static_cast<std::size_t>(i)));
        CHECK(cache.memory_bytes() <= 10'000);
        CHECK(cache.disk_bytes() <= 30'000);
    }
    CHECK(bytes_on_disk(dir.path() / "cache") <= 30'000);
    // The most recent are kept, the oldest are gone.
    CHECK(cache.get_from_memory("key-99"));
    CHECK_FALSE(cache.get("key-0"));
}

TEST_CASE("a disk hit comes back whole with its facts, and is promoted to memory",
          "[unit][storage][cache]") {
    test::TempDir dir;
    {
        RenditionCache cache(1'000'000, (dir.path() / "cache").string(), 1'000'000);
        cache.put("k", rendition(5'000, 'q'));
    }
    RenditionCache reopened(1'000'000, (dir.path() / "cache").string(), 1'000'000);
    CHECK_FALSE(reopened.get_from_memory("k"));
    const auto hit = reopened.get("k");
    REQUIRE(hit);
    CHECK(hit->second == RenditionCache::Tier::Disk);
    CHECK(hit->first->contents() == std::string(5'000, 'q'));
    CHECK(hit->first->quality == 77);
    CHECK(hit->first->format == ImageFormat::Webp);
    CHECK(hit->first->rendered_at == 1'800'000'000);
    CHECK(reopened.get("k")->second == RenditionCache::Tier::Memory);
    // The memory tier keeps the bytes in a sealed memory file, which responses sendfile.
    const auto promoted = reopened.get_from_memory("k");
    REQUIRE(promoted);
    CHECK(promoted->sealed);
    CHECK(promoted->bytes.empty());
    CHECK(promoted->size() == 5'000);
}

TEST_CASE("the memory tier holds at most its count of renditions (each may hold a descriptor)",
          "[unit][storage][cache]") {
    test::TempDir dir;
    RenditionCache cache(1'000'000, (dir.path() / "cache").string(), 0, "p", 3);
    for (int i = 0; i < 10; ++i) {
        cache.put("key-" + std::to_string(i), rendition(100));
    }
    int kept = 0;
    for (int i = 0; i < 10; ++i) {
        kept += cache.get_from_memory("key-" + std::to_string(i)) ? 1 : 0;
    }
    CHECK(kept == 3);
    CHECK(cache.get_from_memory("key-9"));
}

TEST_CASE("a new pipeline version empties the disk cache at start, the same version keeps it",
          "[unit][storage][cache]") {
    test::TempDir dir;
    const auto folder = (dir.path() / "cache").string();
    {
        RenditionCache cache(1'000'000, folder, 1'000'000, "p1");
        cache.put("k", rendition(5'000));
    }
    {
        RenditionCache same(1'000'000, folder, 1'000'000, "p1");
        CHECK(same.get("k"));
        CHECK(same.disk_bytes() > 0);
    }
    RenditionCache next(1'000'000, folder, 1'000'000, "p2");
    CHECK_FALSE(next.get("k"));
    CHECK(next.disk_bytes() == 0);
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        files += entry.path().filename() == "VERSION" ? 0 : 1;
    }
    CHECK(files == 0);
}
