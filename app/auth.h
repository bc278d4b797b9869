#pragma once

#include "common/expected.h"
#include "config/config.h"

#include <string>
#include <string_view>
#include <vector>

namespace imgline::app {

/// A party a request was made by.
struct Party {
    std::string kind;  // supplier, distributor, admin
    std::string name;
    std::string brand;

    bool is_admin() const {
        return kind == "admin";
    }
};

/// Who holds which API key. Keys are kept only as SHA-256 hashes; a presented key is hashed and
/// compared with every known hash in constant time, so timing says nothing about near misses.
class Authenticator {
public:
    explicit Authenticator(const std::vector<config::PartyConfig>& parties);

    /// The party for an `Authorization` header value ("Bearer <key>"): 401 Unauthorized when it
    /// is missing, malformed, or no party holds the key.
    Expected<Party> authenticate(std::string_view authorization) const;

private:
    struct Entry {
        std::string key_sha256;
        Party party;
    };

    std::vector<Entry> entries_;
};

/// True when `name` is a configured party (the only owner names a path is built from).
bool is_party(const config::Config& config, std::string_view name);

/// 403 unless `party` is `owner` or an admin.
Expected<void> require_owner_or_admin(const Party& party, std::string_view owner);

}  // namespace imgline::app
