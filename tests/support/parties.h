#pragma once

// The parties most integration tests use: a supplier, a distributor and an admin, with the
// Authorization headers of their keys.
#include "common/sha256.h"
#include "config/config.h"

#include <string>

namespace imgline::test {

inline const std::string kAcme = "Authorization: Bearer acme-secret-key\r\n";  // supplier acme
inline const std::string kShop = "Authorization: Bearer shop-secret-key\r\n";  // distributor shop1
inline const std::string kOps = "Authorization: Bearer ops-secret-key\r\n";    // admin ops

/// Configures supplier "acme", distributor "shop1" and admin "ops" with those keys.
inline void with_parties(config::Config& config) {
    config.parties = {
        {"supplier", "acme", {sha256_hex("acme-secret-key")}, ""},
        {"distributor", "shop1", {sha256_hex("shop-secret-key")}, ""},
        {"admin", "ops", {sha256_hex("ops-secret-key")}, ""},
    };
}

}  // namespace imgline::test
