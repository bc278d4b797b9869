#include "common/error.h"

#include "common/log.h"
#include "common/sha256.h"

#include <new>
#include <stdexcept>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace imgline;

TEST_CASE("every error code maps to its documented status and slug", "[unit][error]") {
    struct Row {
        ErrorCode code;
        int status;
        const char* slug;
    };

    const Row rows[] = {
        {ErrorCode::BadRequest, 400, "bad_request"},
        {ErrorCode::Unauthorized, 401, "unauthorized"},
        {ErrorCode::Forbidden, 403, "forbidden"},
        {ErrorCode::BadSignature, 403, "bad_signature"},
        {ErrorCode::Expired, 403, "expired"},
        {ErrorCode::NotFound, 404, "not_found"},
        {ErrorCode::UnknownPreset, 404, "unknown_preset"},
        {ErrorCode::MethodNotAllowed, 405, "method_not_allowed"},
        {ErrorCode::Conflict, 409, "conflict"},
        {ErrorCode::Gone, 410, "gone"},
        {ErrorCode::PayloadTooLarge, 413, "payload_too_large"},
        {ErrorCode::UnsupportedMediaType, 415, "unsupported_media_type"},
        {ErrorCode::RangeNotSatisfiable, 416, "range_not_satisfiable"},
        {ErrorCode::UnsupportedImage, 422, "unsupported_image"},
        {ErrorCode::CorruptImage, 422, "corrupt_image"},
        {ErrorCode::TooManyPixels, 422, "too_many_pixels"},
        {ErrorCode::BrandRulesFailed, 422, "brand_rules_failed"},
        {ErrorCode::HeaderTooLarge, 431, "header_too_large"},
        {ErrorCode::Internal, 500, "internal"},
        {ErrorCode::Overloaded, 503, "overloaded"},
        {ErrorCode::Timeout, 503, "timeout"},
        {ErrorCode::StorageUnavailable, 503, "storage_unavailable"},
        {ErrorCode::InsufficientStorage, 507, "insufficient_storage"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.slug);
        CHECK(http_status(row.code) == row.status);
        CHECK(error_slug(row.code) == row.slug);
        CHECK(is_client_error(row.code) == (row.status < 500));
    }
}

TEST_CASE("error_json is valid JSON for hostile messages and keeps detail out", "[unit][error]") {
    const Error error =
        make_error(ErrorCode::BadRequest, "bad \"quote\"\n<b>\\x</b>\x01", "secret /var/lib/path");
    const std::string text = error_json(error, "rid-1");
    const auto parsed = boost::json::parse(text).as_object().at("error").as_object();
    CHECK(parsed.at("code") == "bad_request");
    CHECK(parsed.at("message") == "bad \"quote\"\n<b>\\x</b>\x01");
    CHECK(parsed.at("request_id") == "rid-1");
    CHECK(text.find("secret") == std::string::npos);
}

TEST_CASE("log lines stay one JSON object per line whatever the fields hold", "[unit][log]") {
    const std::string hostile = "line1\nline2\r\"}{\"level\":\"error\"";
    const std::string line =
        log::format_line(log::Level::Warn, hostile, {{"path", hostile}, {"status", 404}});
    CHECK(line.find('\n') == std::string::npos);
    const auto parsed = boost::json::parse(line).as_object();
    CHECK(parsed.at("level") == "warn");
    CHECK(parsed.at("msg").as_string() == hostile);
    CHECK(parsed.at("path").as_string() == hostile);
    CHECK(parsed.at("status") == 404);
    CHECK(parsed.at("ts").as_string().ends_with("Z"));
}

TEST_CASE("log levels parse from their names only", "[unit][log]") {
    log::Level level = log::Level::Info;
    CHECK(log::parse_level("warn", level));
    CHECK(level == log::Level::Warn);
    CHECK_FALSE(log::parse_level("WARNING", level));
}

TEST_CASE("sha256_hex matches the standard test vectors", "[unit][sha256]") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(is_sha256_hex(sha256_hex("x")));
    CHECK_FALSE(is_sha256_hex("../../etc/passwd"));
    CHECK_FALSE(is_sha256_hex(std::string(63, 'a')));
    CHECK(constant_time_equal("secret", "secret"));
    CHECK_FALSE(constant_time_equal("secret", "secreT"));
    CHECK_FALSE(constant_time_equal("secret", "secrets"));
}

TEST_CASE("a stray exception is a 503 when memory ran out, a 500 otherwise", "[unit][error]") {
    auto from = [](auto thrower) {
        try {
            thrower();
        } catch (...) {
            return error_from_current_exception();
        }
        FAIL("nothing was thrown");
        return Error{};
    };
    const Error memory = from([] { throw std::bad_alloc(); });
    CHECK(memory.code == ErrorCode::Overloaded);
    CHECK(http_status(memory.code) == 503);
    const Error bug = from([] { throw std::out_of_range("map::at"); });
    CHECK(bug.code == ErrorCode::Internal);
    CHECK(bug.detail == "map::at");
    CHECK(from([] { throw 42; }).code == ErrorCode::Internal);
}
