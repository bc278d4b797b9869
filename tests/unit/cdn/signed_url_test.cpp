#include "cdn/signed_url.h"

#include "cdn/transform_options.h"

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::cdn;

TEST_CASE("signatures verify with their key and fail when anything changes", "[unit][cdn][sign]") {
    const std::vector<SigningKey> keys{{"k1", "first-secret-0123456789"},
                                       {"k2", "second-secret-0123456789"}};
    const std::string path = "/w:800/h:600/" + std::string(64, 'a') + ".webp";
    const auto signature = sign_path(path, keys[0]);
    CHECK(signature.starts_with("k1."));
    CHECK(signature.find_first_of("+/=") == std::string::npos);  // URL-safe
    CHECK(verify_path(signature, path, keys));
    CHECK(verify_path(sign_path(path, keys[1]), path, keys));  // rotation: both keys accepted
    CHECK(sign_path(path, keys[0]) == signature);              // deterministic

    CHECK(verify_path(signature, "/w:801/h:600/" + std::string(64, 'a') + ".webp", keys)
              .error()
              .code == ErrorCode::BadSignature);
    std::string flipped = signature;
    flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
    CHECK_FALSE(verify_path(flipped, path, keys));
    CHECK_FALSE(verify_path("k9" + signature.substr(2), path, keys));  // unknown key id
    CHECK_FALSE(verify_path("no-dot", path, keys));
    CHECK_FALSE(verify_path(signature, path, {keys[1]}));  // k1 retired
    CHECK(parse_signing_keys({"a:secret", "broken", ":x", "b:"}).size() == 1);
}

TEST_CASE("transform options parse strictly and say what is wrong", "[unit][cdn][options]") {
    const auto good =
        parse_transform_options({"w:800", "h:600", "fit:fill", "g:attention", "bg:102030", "q:85",
                                 "max_kb:150", "exp:2000000000"});
    REQUIRE(good);
    CHECK(good->width == 800);
    CHECK(good->fit == "fill");
    CHECK(good->background == "#102030");
    CHECK(good->expires == 2'000'000'000);
    const auto preset = good->as_preset("webp");
    CHECK(preset.max_bytes == 150 * 1024);
    CHECK(preset.quality_max == 85);
    CHECK(preset.formats == std::vector<std::string>{"webp"});
    CHECK(parse_transform_options({"h:600", "w:800", "fit:fill", "g:attention", "bg:102030", "q:85",
                                   "max_kb:150", "exp:2000000000"})
              ->canonical() == good->canonical());

    struct Bad {
        std::vector<std::string> options;
        const char* names;
    };

    const Bad bad[] = {
        {{"w:0"}, "'w'"},
        {{"w:5000"}, "'w'"},
        {{"w:abc"}, "'w'"},
        {{"w:10", "w:20"}, "twice"},
        {{"x:1", "w:10"}, "'x'"},
        {{"w:10", "fit:stretch"}, "'fit'"},
        {{"w:10", "bg:#fff"}, "'bg'"},
        {{"w:10", "q:101"}, "'q'"},
        {{"fit:fill", "w:10"}, "both"},
        {{}, "w, h"},
        {{"w10"}, "key:value"},
    };
    for (const auto& c : bad) {
        CAPTURE(c.names);
        const auto parsed = parse_transform_options(c.options);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == ErrorCode::BadRequest);
        CHECK(parsed.error().public_message.find(c.names) != std::string::npos);
    }
}
