#pragma once

// What every ProductStore must do, written once and run against each implementation with two
// handles on one store (a restarted origin, or a second origin on the same bucket).
#include "storage/product_store.h"

#include <string>

#include <catch2/catch.hpp>

namespace imgline::test::conformance {

inline void check_product_store(storage::ProductStore& first, storage::ProductStore& second) {
    const std::string a(64, 'a');
    const std::string b(64, 'b');
    CHECK(first.read("acme", "SKU-1").error().code == ErrorCode::NotFound);

    storage::Product product{"acme", "SKU-1", {}, 0};
    REQUIRE(storage::point_slot(product, "main", {a, "2026-12-03T10:00:00Z", "acme"}));
    REQUIRE(first.write(product));
    auto read = second.read("acme", "SKU-1");
    REQUIRE(read);
    CHECK(*read == product);

    // Written whole over the old one: the history and the revision come back as written.
    REQUIRE(storage::point_slot(product, "main", {b, "2026-12-03T11:00:00Z", "acme"}));
    REQUIRE(storage::point_slot(product, "detail-1", {a, "2026-12-03T11:00:01Z", "admin"}));
    REQUIRE(second.write(product));
    read = first.read("acme", "SKU-1");
    REQUIRE(read);
    CHECK(*read == product);
    CHECK(read->find("main")->current()->id == b);
    CHECK(read->find("main")->history.size() == 2);
    CHECK(read->revision == 3);

    // Products are per owner and per SKU; a SKU that could not be a path is simply not there.
    CHECK(first.read("other", "SKU-1").error().code == ErrorCode::NotFound);
    CHECK(first.read("acme", "SKU-2").error().code == ErrorCode::NotFound);
    CHECK(first.read("acme", "..").error().code == ErrorCode::NotFound);
    CHECK(!first.write(storage::Product{"acme", "..", {}, 0}));
}

}  // namespace imgline::test::conformance
