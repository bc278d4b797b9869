#pragma once

// Internal to pipeline/: a fast path for the common PNGs (8-bit grey, grey+alpha, RGB, RGBA,
// not interlaced), decoded with libdeflate and box-shrunk as the rows come, without libvips.
// Debian 12's zlib inflates a large cut-out ten times slower than libdeflate, and libvips
// premultiplies and shrinks every pixel in floating point; both dominate a PNG render.
#include "pipeline/decoded_pixels.h"

#include <cstddef>
#include <optional>
#include <string_view>

namespace imgline::pipeline {

/// The most bytes of rows (as inflated) the fast path takes: past this (a PNG over 32 MP in
/// RGBA) libvips streams the file instead of holding all its rows at once.
constexpr std::size_t kFastPngMaxRowBytes = 128 * 1024 * 1024;

/// Decodes `bytes` and shrinks it by the integer factor `shrink` (1: full size): each output
/// pixel is the mean of a `shrink`×`shrink` block (fewer at the right and bottom edges, so the
/// size is the source's divided by `shrink`, rounded up), with colour weighted by alpha so that
/// transparent pixels lend no colour to their neighbours. Returns nullopt for anything outside
/// the fast path — other bit depths, palettes, interlacing, a tRNS chunk, more than
/// `max_inflated` bytes of rows — and for anything malformed (a bad signature, chunk, CRC, or
/// deflate stream, an unknown row filter): the caller then decodes with libvips, which gives
/// those files their usual outcome. Metadata is not read, an eXIf orientation included: the
/// caller sends rotated PNGs to libvips. Pure: no libvips, no I/O.
std::optional<DecodedPixels> read_png(std::string_view bytes, int shrink, std::size_t max_inflated);

}  // namespace imgline::pipeline
