#include "storage/product.h"

#include "storage/local_product_store.h"
#include "tests/support/product_store_conformance.h"
#include "tests/support/temp_dir.h"

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

using namespace imgline;
using storage::Product;
using storage::SlotEntry;

namespace {

const std::string kA(64, 'a');
const std::string kB(64, 'b');
const std::string kC(64, 'c');

SlotEntry entry(const std::string& id, int minute = 0) {
    return SlotEntry{
        id,
        "2026-12-03T10:" + std::string(minute < 10 ? "0" : "") + std::to_string(minute) + ":00Z",
        "acme"};
}

}  // namespace

TEST_CASE("slot names follow the image roles", "[unit][storage][products]") {
    for (const char* good : {"main", "size-chart", "detail-1", "detail-99", "ad-1", "ad-42"}) {
        INFO(good);
        CHECK(storage::is_slot_name(good));
    }
    for (const char* bad : {"", "Main", "detail", "detail-", "detail-0", "detail-01", "detail-100",
                            "ad-x", "size_chart", "other", "main ", "../main"}) {
        INFO(bad);
        CHECK_FALSE(storage::is_slot_name(bad));
    }
    CHECK(storage::slot_role("main") == "main");
    CHECK(storage::slot_role("detail-3") == "detail");
    CHECK(storage::slot_role("ad-1") == "ad");
    CHECK(storage::slot_role("size-chart") == "size_chart");
}

TEST_CASE("SKUs are path-safe and never only dots", "[unit][storage][products]") {
    CHECK(storage::is_sku("SKU-1"));
    CHECK(storage::is_sku("a.b_c-9"));
    CHECK(storage::is_sku(std::string(64, 'x')));
    CHECK_FALSE(storage::is_sku(""));
    CHECK_FALSE(storage::is_sku("."));
    CHECK_FALSE(storage::is_sku(".."));
    CHECK_FALSE(storage::is_sku("a/b"));
    CHECK_FALSE(storage::is_sku("a b"));
    CHECK_FALSE(storage::is_sku(std::string(65, 'x')));
}

TEST_CASE("pointing a slot keeps its history and pointing back is one more entry",
          "[unit][storage][products]") {
    Product product{"acme", "SKU-1", {}, 0};
    CHECK(product.find("main") == nullptr);
    CHECK(storage::point_slot(product, "main", entry(kA, 1)));
    CHECK(storage::point_slot(product, "main", entry(kB, 2)));
    CHECK_FALSE(storage::point_slot(product, "main", entry(kB, 3)));  // already shown
    CHECK(storage::point_slot(product, "main", entry(kA, 4)));        // back to the first
    CHECK(product.revision == 3);
    const auto* main = product.find("main");
    REQUIRE(main != nullptr);
    REQUIRE(main->history.size() == 3);
    CHECK(main->current()->id == kA);
    CHECK(main->history[1].id == kB);

    CHECK(storage::clear_slot(product, "main", "2026-12-03T10:05:00Z", "acme"));
    CHECK(product.find("main")->current() == nullptr);
    CHECK_FALSE(storage::clear_slot(product, "main", "2026-12-03T10:06:00Z", "acme"));
    CHECK(product.revision == 4);

    // Slots stay in name order whatever order they were filled in.
    CHECK(storage::point_slot(product, "detail-2", entry(kC)));
    CHECK(storage::point_slot(product, "ad-1", entry(kC)));
    REQUIRE(product.slots.size() == 3);
    CHECK(product.slots[0].name == "ad-1");
    CHECK(product.slots[1].name == "detail-2");
    CHECK(product.slots[2].name == "main");
}

TEST_CASE("a slot remembers its last 20 originals", "[unit][storage][products]") {
    Product product{"acme", "SKU-1", {}, 0};
    for (int i = 0; i < 30; ++i) {
        CHECK(storage::point_slot(product, "main", entry(i % 2 == 0 ? kA : kB, i)));
    }
    const auto& history = product.find("main")->history;
    CHECK(history.size() == storage::kSlotHistory);
    CHECK(history.back().set_at == "2026-12-03T10:29:00Z");
    CHECK(history.front().set_at == "2026-12-03T10:10:00Z");
}

TEST_CASE("products read back as written, and damaged ones are refused",
          "[unit][storage][products]") {
    Product product{"acme", "SKU-1", {}, 0};
    storage::point_slot(product, "main", entry(kA));
    storage::point_slot(product, "main", entry(kB));
    storage::clear_slot(product, "detail-1", "x", "acme");  // empty: nothing to clear
    storage::point_slot(product, "detail-1", entry(kC));
    storage::clear_slot(product, "detail-1", "2026-12-03T11:00:00Z", "admin");
    const std::string text = boost::json::serialize(storage::to_json(product));
    auto read = storage::product_from_json(text);
    REQUIRE(read);
    CHECK(*read == product);
    CHECK(read->find("detail-1")->current() == nullptr);

    for (const char* damaged :
         {"", "[]", "{\"owner\":\"acme\",\"sku\":\"S\"}",
          "{\"owner\":\"acme\",\"sku\":\"..\",\"slots\":{}}",
          "{\"owner\":\"acme\",\"sku\":\"S\",\"slots\":{\"hero\":[]}}",
          "{\"owner\":\"acme\",\"sku\":\"S\",\"slots\":{\"main\":[{\"id\":\"../x\"}]}}",
          "{\"owner\":\"acme\",\"sku\":\"S\",\"slots\":{\"main\":[1]}}"}) {
        INFO(damaged);
        auto refused = storage::product_from_json(damaged);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::StorageUnavailable);
    }
}

TEST_CASE("products on the local disk are kept whole and read by a restarted origin",
          "[unit][storage][products]") {
    test::TempDir dir;
    storage::LocalProductStore store(dir.path().string());
    storage::LocalProductStore reopened(dir.path().string());
    test::conformance::check_product_store(store, reopened);
}
