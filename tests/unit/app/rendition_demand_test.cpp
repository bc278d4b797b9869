#include "app/rendition_demand.h"

#include <catch2/catch.hpp>

using namespace imgline;

TEST_CASE("the most asked renditions of the named presets come first", "[unit][app][rerender]") {
    app::RenditionDemand demand;
    const std::string a(64, 'a');
    const std::string b(64, 'b');
    for (int i = 0; i < 3; ++i) {
        demand.count(b, "list", ImageFormat::Webp);
    }
    demand.count(a, "list", ImageFormat::Jpeg);
    demand.count(a, "list", ImageFormat::Jpeg);
    demand.count(a, "thumb", ImageFormat::Jpeg);
    for (int i = 0; i < 5; ++i) {
        demand.count(a, "zoom", ImageFormat::Png);
    }
    const auto wanted = demand.most_wanted({"list", "thumb"});
    REQUIRE(wanted.size() == 3);
    CHECK(wanted[0].id == b);
    CHECK(wanted[0].format == ImageFormat::Webp);
    CHECK(wanted[0].asks == 3);
    CHECK(wanted[1].id == a);
    CHECK(wanted[1].preset == "list");
    CHECK(wanted[2].preset == "thumb");
    CHECK(demand.most_wanted({"detail"}).empty());
}

TEST_CASE("demand stays bounded: old counts fade when it is full", "[unit][app][rerender]") {
    app::RenditionDemand demand;
    const std::string hot(64, 'f');
    for (int i = 0; i < 8; ++i) {
        demand.count(hot, "list", ImageFormat::Jpeg);
    }
    for (std::size_t i = 0; i < app::RenditionDemand::kMaxEntries + 10; ++i) {
        demand.count(std::to_string(i), "list", ImageFormat::Jpeg);
    }
    const auto wanted = demand.most_wanted({"list"});
    CHECK(wanted.size() <= app::RenditionDemand::kMaxEntries);
    REQUIRE_FALSE(wanted.empty());
    CHECK(wanted[0].id == hot);  // halved, still the most asked
    CHECK(wanted[0].asks == 4);
}
