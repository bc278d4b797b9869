#include "storage/original_record.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::storage;

namespace {

OriginalRecord checked_record() {
    OriginalRecord record;
    record.id = std::string(64, 'a');
    record.owner = "acme";
    record.owner_kind = "supplier";
    record.format = "jpeg";
    record.brand = "fashion-white";
    record.brand_report = {{"verdict", "warn"}};
    return record;
}

}  // namespace

TEST_CASE("promised fixes are kept typed in the record and read back", "[unit][storage]") {
    OriginalRecord record = checked_record();
    record.fixes = {true, true, false, std::array<double, 4>{0.1, 0.2, 0.5, 0.6}};
    const auto read = record_from_json(boost::json::serialize(to_json(record)));
    REQUIRE(read);
    CHECK(read->fixes == record.fixes);
    record.fixes = {false, false, true, std::nullopt};
    const auto again = record_from_json(boost::json::serialize(to_json(record)));
    REQUIRE(again);
    CHECK(again->fixes == record.fixes);
}

TEST_CASE("records written before typed fixes get them from their stored report",
          "[unit][storage]") {
    // As a record stored by an earlier imgline looks: the report, no "fixes".
    const std::string old = R"({"id":")" + std::string(64, 'b') + R"(","owner":"acme",
        "brand":"fashion-white","brand_report":{"rules":[
          {"rule":"margin","verdict":"warn","fix":{"name":"trim","applied":true}},
          {"rule":"aspect","verdict":"warn","fix":{"name":"pad_aspect","applied":false}},
          {"rule":"background","verdict":"warn","fix":{"name":"flatten","applied":true}}],
        "measurements":{"product":{"left":0.25,"top":0.125,"width":0.5,"height":0.75}}}})";
    const auto read = record_from_json(old);
    REQUIRE(read);
    CHECK(read->fixes.trim);
    CHECK_FALSE(read->fixes.pad_aspect);  // named, but the brand did not apply it
    CHECK(read->fixes.flatten);
    REQUIRE(read->fixes.product_box);
    CHECK(*read->fixes.product_box == std::array<double, 4>{0.25, 0.125, 0.5, 0.75});

    // A box outside the image, or an empty one, is no box.
    for (const char* product : {R"({"left":-0.1,"top":0,"width":0.5,"height":0.5})",
                                R"({"left":0,"top":0,"width":0,"height":0.5})",
                                R"({"left":0,"top":0,"width":"wide","height":0.5})"}) {
        CAPTURE(product);
        const std::string text =
            R"({"id":")" + std::string(64, 'b') +
            R"(","owner":"acme","brand":"b","brand_report":{"measurements":{"product":)" + product +
            "}}}";
        const auto odd = record_from_json(text);
        REQUIRE(odd);
        CHECK_FALSE(odd->fixes.product_box);
    }
}
