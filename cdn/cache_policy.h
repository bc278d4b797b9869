#pragma once

#include "cdn/pipeline_version.h"
#include "common/image_format.h"
#include "config/config.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imgline::cdn {

/// A short fingerprint of everything in a preset that shapes its renditions (size, fit, gravity,
/// background, budget, qualities, upscale): editing a preset changes its renditions' ETags.
std::string preset_fingerprint(const config::PresetConfig& preset);

/// A short hash of everything brand fixes depend on in `config` (each brand's background,
/// fixes, margin and aspect per role, and which brand each party uses), so renditions of
/// presets with brand_fixes change key when any of it changes. Pure.
std::string brands_fingerprint(const config::Config& config);

/// The version of what shapes a preset's renditions, carried in every URL imgline hands out for
/// them (/i/{id}/{preset}~{version}.{ext}): the preset's effective settings (preset_fingerprint),
/// the brands' rules and fixes when the preset applies them (`brands`: brands_fingerprint), and
/// the pipeline version. 8 lower-case hex digits; the same inputs always give the same version,
/// however the configuration file is written. Pure.
std::string rendition_version(const config::PresetConfig& preset, std::string_view brands);

/// True for what rendition_version() writes: 8 lower-case hex digits.
bool is_rendition_version(std::string_view text);

/// The cache key and strong ETag of one rendition: original id, preset and its fingerprint,
/// format, pipeline version, and for presets with brand_fixes `brands` (brands_fingerprint).
/// Known before anything is fetched or rendered. Pure.
std::string rendition_key(std::string_view id,
                          const config::PresetConfig& preset,
                          ImageFormat format,
                          std::string_view brands = "");

/// `"<key hash>"`, quoted as an HTTP strong ETag.
std::string etag_for(std::string_view rendition_key);

/// True when an If-None-Match header value lists `etag` (weak forms W/"…" compared weakly as
/// RFC 9110 asks for If-None-Match). `*` is not a hit here: it means "any copy exists", which
/// only the caller knows (see if_none_match_any).
bool if_none_match_hits(std::string_view if_none_match, std::string_view etag);

/// True for If-None-Match: * (a hit whenever the resource exists).
bool if_none_match_any(std::string_view if_none_match);

/// Cache-Control for renditions: a year, immutable (the URL or ETag changes with the content).
inline constexpr std::string_view kRenditionCacheControl = "public, max-age=31536000, immutable";

/// Cache-Control for a rendition URL without a version (/i/{id}/{preset}.{ext}, as imgline
/// handed out before URLs carried versions): its bytes change when the preset or the brand
/// does, so a day, then revalidated (a 304 while nothing changed).
inline constexpr std::string_view kUnversionedCacheControl = "public, max-age=86400";

/// Cache-Control for the redirect from an old version's (or an old preset name's) URL to the
/// current one: an hour, so the next change is followed too.
inline constexpr std::string_view kMovedCacheControl = "public, max-age=3600";

/// Cache-Control for a deleted original's renditions: short and public, so edges stop asking
/// soon without holding the 410 for long.
inline constexpr std::string_view kGoneCacheControl = "public, max-age=60";

/// Cache-Control for what a product slot URL shows (the image, or the redirect to it): public
/// for `max_age_seconds` (products.slot_max_age), then asked again — a 304 while the slot is
/// unchanged. Never immutable: the slot may point elsewhere tomorrow.
inline std::string slot_cache_control(std::int64_t max_age_seconds) {
    return "public, max-age=" + std::to_string(max_age_seconds);
}

/// An HTTP byte range of a body of `length` bytes.
struct ByteRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;  // inclusive
};

enum class RangeResult { Whole, Partial, Unsatisfiable };

/// Reads a Range header for a body of `length` bytes: one `bytes=a-b`, `bytes=a-` or
/// `bytes=-n` range gives Partial (with `range` set); a range past the end gives Unsatisfiable;
/// anything else (no header, several ranges, another unit, malformed) gives Whole. Pure.
RangeResult parse_range(std::string_view header, std::uint64_t length, ByteRange& range);

}  // namespace imgline::cdn
