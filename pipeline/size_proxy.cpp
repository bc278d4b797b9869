#include "pipeline/size_proxy.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace imgline::pipeline {
namespace {

using vips::VImage;

// Two 16×16 blocks (a JPEG 4:2:0 MCU, a WebP macroblock) each way, aligned to the image's own
// block grid, so a tile is coded as it is inside the image.
constexpr int kTileSide = 32;
// About one tile in ten: every tenth tile of a row, the next row shifted by three, so no
// column of the picture is favoured.
constexpr int kStride = 10;
constexpr int kShift = 3;
// Below this many tiles in the image the proxy would be too coarse (and the encodes cheap).
constexpr int kMinTiles = 200;

}  // namespace

std::optional<TileLayout> proxy_layout(int width, int height) {
    const int across = width / kTileSide;
    const int down = height / kTileSide;
    if (across * down < kMinTiles) {
        return std::nullopt;
    }
    std::vector<std::pair<int, int>> candidates;
    for (int ty = 0; ty < down; ++ty) {
        for (int tx = (ty * kShift) % kStride; tx < across; tx += kStride) {
            candidates.emplace_back(tx * kTileSide, ty * kTileSide);
        }
    }
    // A full rectangle of tiles, taken evenly from the candidates so the bottom is not dropped.
    TileLayout layout;
    layout.side = kTileSide;
    const auto available = static_cast<int>(candidates.size());
    layout.columns = std::max(1, static_cast<int>(std::sqrt(available)));
    layout.rows = available / layout.columns;
    const int count = layout.columns * layout.rows;
    for (int i = 0; i < count; ++i) {
        layout.origins.push_back(
            candidates[static_cast<std::size_t>(static_cast<long long>(i) * available / count)]);
    }
    layout.area_ratio = static_cast<double>(width) * height /
                        (static_cast<double>(layout.origins.size()) * kTileSide * kTileSide);
    return layout;
}

std::optional<SizeProxy> make_size_proxy(const VImage& image) {
    auto layout = proxy_layout(image.width(), image.height());
    if (!layout) {
        return std::nullopt;
    }
    const VImage source = image.format() == VIPS_FORMAT_UCHAR
                              ? image.copy_memory()
                              : image.cast(VIPS_FORMAT_UCHAR).copy_memory();
    const int bands = source.bands();
    const auto* pixels = static_cast<const std::uint8_t*>(source.data());
    const std::size_t source_row = static_cast<std::size_t>(source.width()) * bands;
    const std::size_t tile_row = static_cast<std::size_t>(layout->side) * bands;
    const std::size_t mosaic_row = tile_row * layout->columns;
    std::vector<std::uint8_t> mosaic(mosaic_row * layout->side * layout->rows);
    for (std::size_t i = 0; i < layout->origins.size(); ++i) {
        const auto [x, y] = layout->origins[i];
        const std::size_t column = i % layout->columns;
        const std::size_t row = i / layout->columns;
        for (int line = 0; line < layout->side; ++line) {
            std::memcpy(
                mosaic.data() + (row * layout->side + line) * mosaic_row + column * tile_row,
                pixels + (static_cast<std::size_t>(y) + line) * source_row +
                    static_cast<std::size_t>(x) * bands,
                tile_row);
        }
    }
    VipsImage* copied = vips_image_new_from_memory_copy(
        mosaic.data(), mosaic.size(), layout->side * layout->columns, layout->side * layout->rows,
        bands, VIPS_FORMAT_UCHAR);
    if (copied == nullptr) {
        throw vips::VError();
    }
    VImage joined(copied);  // owns its pixels: `mosaic` goes at the end of this call
    joined.get_image()->Type = source.interpretation();
    return SizeProxy{joined, layout->area_ratio};
}

}  // namespace imgline::pipeline
