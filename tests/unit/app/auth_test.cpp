#include "app/auth.h"

#include "common/sha256.h"

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::app;

TEST_CASE("API keys map to their party, by hash, with rotation", "[unit][auth]") {
    const Authenticator auth({
        {"supplier", "acme", {sha256_hex("old-key"), sha256_hex("new-key")}, "fashion"},
        {"admin", "ops", {sha256_hex("ops-key")}, ""},
    });
    for (const char* key : {"old-key", "new-key"}) {
        CAPTURE(key);
        const auto party = auth.authenticate(std::string("Bearer ") + key);
        REQUIRE(party);
        CHECK(party->name == "acme");
        CHECK(party->kind == "supplier");
        CHECK(party->brand == "fashion");
        CHECK_FALSE(party->is_admin());
    }
    CHECK(auth.authenticate("bearer ops-key")->is_admin());  // the scheme is case-insensitive
    for (const char* header :
         {"", "Bearer ", "Bearer wrong", "Basic b3BzLWtleQ==", "ops-key", "Bearer  ops-key"}) {
        CAPTURE(header);
        const auto refused = auth.authenticate(header);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::Unauthorized);
    }
}

TEST_CASE("only the owner or an admin may touch an original", "[unit][auth]") {
    CHECK(require_owner_or_admin({"supplier", "acme", ""}, "acme"));
    CHECK(require_owner_or_admin({"admin", "ops", ""}, "acme"));
    const auto refused = require_owner_or_admin({"distributor", "shop1", ""}, "acme");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::Forbidden);
}
