// The size proxy: a mosaic of full-resolution tiles that stands in for an image when the
// budget search guesses its first quality.
#include "pipeline/size_proxy.h"

#include "pipeline/encode.h"
#include "tests/support/corpus.h"

#include <set>
#include <utility>

#include <catch2/catch.hpp>
#include <vips/vips8>

using namespace imgline::pipeline;
using vips::VImage;

TEST_CASE("the proxy's tiles are aligned, inside the image, spread over it, about a tenth of it",
          "[pipeline][budget]") {
    for (const auto& [width, height] : std::vector<std::pair<int, int>>{
             {1600, 1067}, {800, 800}, {1600, 400}, {451, 999}, {1200, 1600}}) {
        CAPTURE(width, height);
        const auto layout = proxy_layout(width, height);
        REQUIRE(layout);
        const int side = layout->side;
        REQUIRE(side % 16 == 0);
        CHECK(layout->origins.size() == static_cast<std::size_t>(layout->columns * layout->rows));
        std::set<std::pair<int, int>> distinct;
        int left = 0;
        int right = 0;
        int top = 0;
        int bottom = 0;
        for (const auto& [x, y] : layout->origins) {
            CHECK(x % side == 0);
            CHECK(y % side == 0);
            CHECK(x + side <= width);
            CHECK(y + side <= height);
            distinct.emplace(x, y);
            left += x + side <= width / 2 ? 1 : 0;
            right += x >= width / 2 ? 1 : 0;
            top += y + side <= height / 4 ? 1 : 0;
            bottom += y >= height * 3 / 4 ? 1 : 0;
        }
        CHECK(distinct.size() == layout->origins.size());
        // Every part of the picture is represented, in fair shares.
        const auto count = static_cast<int>(layout->origins.size());
        CHECK(left >= count / 3);
        CHECK(right >= count / 3);
        CHECK(top >= count / 6);
        CHECK(bottom >= count / 6);
        const double covered = static_cast<double>(count) * side * side;
        CHECK(layout->area_ratio == Approx(static_cast<double>(width) * height / covered));
        CHECK(layout->area_ratio >= 8);
        CHECK(layout->area_ratio <= 14);
    }
}

TEST_CASE("small images get no proxy: encoding them whole is cheap", "[pipeline][budget]") {
    CHECK_FALSE(proxy_layout(240, 240));
    CHECK_FALSE(proxy_layout(400, 400));
    CHECK_FALSE(proxy_layout(31, 10000));
    CHECK(proxy_layout(800, 800));
}

TEST_CASE("the proxy holds the image's own pixels and encodes to about its share of the bytes",
          "[pipeline][budget]") {
    const auto path = imgline::test::data_dir() / "corpus" / "mate__Dune.jpg";
    const VImage photo =
        VImage::thumbnail(path.c_str(), 1600).colourspace(VIPS_INTERPRETATION_sRGB).copy_memory();
    const auto layout = proxy_layout(photo.width(), photo.height());
    REQUIRE(layout);
    const auto proxy = make_size_proxy(photo);
    REQUIRE(proxy);
    CHECK(proxy->mosaic.width() == layout->columns * layout->side);
    CHECK(proxy->mosaic.height() == layout->rows * layout->side);
    CHECK(proxy->mosaic.bands() == photo.bands());
    CHECK(proxy->area_ratio == Approx(layout->area_ratio));

    // The first and the last tile are the image's pixels where the layout says.
    const int side = layout->side;
    const auto tile_difference = [&](std::size_t index) {
        const auto [x, y] = layout->origins[index];
        const int column = static_cast<int>(index) % layout->columns;
        const int row = static_cast<int>(index) / layout->columns;
        const VImage ours = proxy->mosaic.extract_area(column * side, row * side, side, side);
        const VImage theirs = photo.extract_area(x, y, side, side);
        return (ours.cast(VIPS_FORMAT_INT) - theirs.cast(VIPS_FORMAT_INT)).abs().max();
    };
    CHECK(tile_difference(0) == 0);
    CHECK(tile_difference(layout->origins.size() - 1) == 0);

    // Its bytes, scaled by the area ratio, land near the image's in both formats.
    for (auto format : {ImageFormat::Jpeg, ImageFormat::Webp}) {
        CAPTURE(format_name(format));
        const auto whole = encode(photo, {format, 80, false});
        const auto part = encode(proxy->mosaic, {format, 80, false});
        REQUIRE(whole);
        REQUIRE(part);
        const double estimate = static_cast<double>(part->size()) * proxy->area_ratio;
        CHECK(estimate / static_cast<double>(whole->size()) > 0.9);
        CHECK(estimate / static_cast<double>(whole->size()) < 1.3);
    }
}
