#include "server/request_id.h"

#include <catch2/catch.hpp>

using namespace imgline::server;

TEST_CASE("request ids keep sane tokens and replace anything else", "[unit][request_id]") {
    CHECK(request_id_for("abc-123_x.y") == "abc-123_x.y");
    for (const char* bad : {"", "has space", "<script>", "a\r\nb"}) {
        CAPTURE(bad);
        const auto id = request_id_for(bad);
        CHECK(id.size() == 32);
        CHECK(id != bad);
    }
    CHECK(request_id_for(std::string(65, 'a')).size() == 32);
    CHECK(request_id_for({}) != request_id_for({}));
}
