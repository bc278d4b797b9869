#include "server/multipart.h"

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::server;

TEST_CASE("the multipart boundary comes from the Content-Type", "[unit][multipart]") {
    CHECK(multipart_boundary("multipart/form-data; boundary=abc") == "abc");
    CHECK(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"") == "a b");
    CHECK(multipart_boundary("multipart/mixed; boundary=abc").empty());
    CHECK(multipart_boundary("image/jpeg").empty());
    CHECK(multipart_boundary("multipart/form-data").empty());
}

TEST_CASE("a multipart body splits into named parts with binary bodies intact",
          "[unit][multipart]") {
    using namespace std::string_literals;
    const std::string binary = "\xFF\xD8\xFF\0\r\n--not-the-boundary\r\n\x01"s;
    const std::string body =
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"sku\"\r\n\r\n"
        "SKU-1\r\n"
        "--XyZ\r\n"
        "content-disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n"
        "Content-Type: image/jpeg\r\n\r\n" +
        binary + "\r\n--XyZ--\r\n";
    const auto parts = parse_multipart(body, "XyZ");
    REQUIRE(parts);
    REQUIRE(parts->size() == 2);
    CHECK((*parts)[0].name == "sku");
    CHECK((*parts)[0].filename.empty());
    CHECK((*parts)[0].body == "SKU-1");
    CHECK((*parts)[1].name == "file");
    CHECK((*parts)[1].filename == "a.jpg");
    CHECK((*parts)[1].content_type == "image/jpeg");
    CHECK((*parts)[1].body == binary);
}

TEST_CASE("broken multipart bodies are 400s that say what is wrong", "[unit][multipart]") {
    const char* broken[] = {
        "",                                                            // empty
        "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx",  // never closed
        "--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--",           // no disposition
        "--B\r\nno header end\r\n--B--",                               // no blank line
        "preamble--B\r\n",                                             // does not start with it
    };
    for (const char* body : broken) {
        CAPTURE(body);
        const auto parts = parse_multipart(body, "B");
        REQUIRE_FALSE(parts);
        CHECK(parts.error().code == ErrorCode::BadRequest);
    }
    std::string many;
    for (int i = 0; i < 5; ++i) {
        many += "--B\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
    }
    many += "--B--\r\n";
    CHECK(parse_multipart(many, "B", 5));
    CHECK_FALSE(parse_multipart(many, "B", 4));
}
