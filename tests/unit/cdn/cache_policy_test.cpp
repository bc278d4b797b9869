#include "cdn/cache_policy.h"

#include "cdn/negotiate.h"

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::cdn;

TEST_CASE("Accept headers collapse into at most four variants", "[unit][cdn][negotiate]") {
    const std::vector<ImageFormat> all{ImageFormat::Avif, ImageFormat::Webp, ImageFormat::Jpeg};

    struct Case {
        const char* client;
        const char* accept;
        const char* format;
    };

    const Case cases[] = {
        {"Chrome", "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", "avif"},
        {"Safari 16", "image/webp,image/avif,image/jxl,image/heic,image/*,*/*;q=0.8", "avif"},
        {"Safari 14", "image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5", "webp"},
        {"old IE", "image/png, image/svg+xml, image/*;q=0.8, */*;q=0.5", "jpeg"},
        {"curl", "*/*", "jpeg"},
        {"none", "", "jpeg"},
        {"refuses avif", "image/avif;q=0, image/webp", "webp"},
        {"refuses avif, spelled 0.0", "image/avif; q=0.0, image/webp;q=0.9", "webp"},
        {"upper case", "IMAGE/WEBP", "webp"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.client);
        CHECK(format_name(negotiate(c.accept, all).format) == c.format);
    }
    // A preset that does not offer AVIF never serves it; PNG presets fall back to PNG.
    using enum ImageFormat;
    CHECK(negotiate("image/avif,image/webp", {Webp, Jpeg}).format == Webp);
    CHECK(negotiate("*/*", {Webp, Png}).format == Png);
    CHECK(negotiate("*/*", {Webp, Png}).variant == "default");
    CHECK(negotiate("image/webp", {Avif, Webp}).variant == "webp");
    CHECK(negotiate("*/*", {Avif}).format == Avif);  // only modern formats: the first one
    CHECK(negotiate("*/*", {}).format == Jpeg);
}

TEST_CASE("rendition keys and ETags change with everything that shapes the bytes",
          "[unit][cdn][etag]") {
    config::PresetConfig preset;
    preset.name = "detail";
    const auto base = rendition_key(std::string(64, 'a'), preset, ImageFormat::Webp);
    CHECK(etag_for(base).front() == '"');
    CHECK(etag_for(base) ==
          etag_for(rendition_key(std::string(64, 'a'), preset, ImageFormat::Webp)));
    CHECK(base != rendition_key(std::string(64, 'b'), preset, ImageFormat::Webp));
    CHECK(base != rendition_key(std::string(64, 'a'), preset, ImageFormat::Jpeg));
    auto edited = preset;
    edited.max_bytes = 100 * 1024;
    CHECK(base != rendition_key(std::string(64, 'a'), edited, ImageFormat::Webp));
    edited = preset;
    edited.background = "#000000";
    CHECK(preset_fingerprint(edited) != preset_fingerprint(preset));
}

TEST_CASE("presets with brand fixes change key when the brands change", "[unit][cdn][etag]") {
    config::Config config = config::builtin_config();
    const std::string before = brands_fingerprint(config);
    config::PresetConfig plain;
    plain.name = "detail";
    config::PresetConfig branded = plain;
    branded.name = "main";
    branded.brand_fixes = true;
    const std::string id(64, 'a');

    config.brands.front().background = "#f5f1ea";
    const std::string after = brands_fingerprint(config);
    CHECK(before != after);
    CHECK(rendition_key(id, branded, ImageFormat::Jpeg, before) !=
          rendition_key(id, branded, ImageFormat::Jpeg, after));
    // Presets that do not apply brands keep their key.
    CHECK(rendition_key(id, plain, ImageFormat::Jpeg, before) ==
          rendition_key(id, plain, ImageFormat::Jpeg, after));

    config::PartyConfig party;
    party.name = "acme";
    config.parties.push_back(party);
    const std::string with_party = brands_fingerprint(config);
    config.parties.back().brand = "default";
    CHECK(brands_fingerprint(config) != with_party);

    const std::string before_trim = brands_fingerprint(config);
    config.brands.front().roles["main"].fixes.push_back("trim");
    CHECK(brands_fingerprint(config) != before_trim);
}

TEST_CASE("If-None-Match matches lists, weak forms and *", "[unit][cdn][etag]") {
    const std::string etag = "\"abc\"";
    CHECK(if_none_match_hits("\"abc\"", etag));
    CHECK(if_none_match_hits("\"x\", \"abc\"", etag));
    CHECK(if_none_match_hits("W/\"abc\"", etag));
    CHECK_FALSE(if_none_match_hits("*", etag));  // whether the image exists is the caller's
    CHECK(if_none_match_any(" * "));
    CHECK_FALSE(if_none_match_any("\"abc\""));
    CHECK_FALSE(if_none_match_hits("", etag));
    CHECK_FALSE(if_none_match_hits("\"abcd\"", etag));
    CHECK_FALSE(if_none_match_hits("abc", etag));
}

TEST_CASE("Range headers give a part, the whole, or 416", "[unit][cdn][range]") {
    ByteRange range;
    CHECK(parse_range("bytes=0-99", 1000, range) == RangeResult::Partial);
    CHECK((range.first == 0 && range.last == 99));
    CHECK(parse_range("bytes=900-", 1000, range) == RangeResult::Partial);
    CHECK((range.first == 900 && range.last == 999));
    CHECK(parse_range("bytes=-100", 1000, range) == RangeResult::Partial);
    CHECK((range.first == 900 && range.last == 999));
    CHECK(parse_range("bytes=500-5000", 1000, range) == RangeResult::Partial);
    CHECK(range.last == 999);
    CHECK(parse_range("bytes=1000-", 1000, range) == RangeResult::Unsatisfiable);
    CHECK(parse_range("bytes=-0", 1000, range) == RangeResult::Unsatisfiable);
    for (const char* whole : {"", "bytes=0-1,5-6", "items=0-1", "bytes=5-1", "bytes=x-y"}) {
        CAPTURE(whole);
        CHECK(parse_range(whole, 1000, range) == RangeResult::Whole);
    }
}
