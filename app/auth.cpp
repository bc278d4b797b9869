#include "app/auth.h"

#include "common/sha256.h"
#include "common/text.h"

#include <algorithm>
#include <cctype>

namespace imgline::app {
namespace {

constexpr std::string_view kBearer = "Bearer ";

}  // namespace

Authenticator::Authenticator(const std::vector<config::PartyConfig>& parties) {
    for (const auto& party : parties) {
        for (const auto& hash : party.key_sha256) {
            entries_.push_back(Entry{lower(hash), Party{party.kind, party.name, party.brand}});
        }
    }
}

Expected<Party> Authenticator::authenticate(std::string_view authorization) const {
    if (authorization.empty()) {
        return fail(ErrorCode::Unauthorized,
                    "an API key is needed: send Authorization: Bearer <key>");
    }
    if (authorization.size() <= kBearer.size() ||
        lower(authorization.substr(0, kBearer.size())) != lower(kBearer)) {
        return fail(ErrorCode::Unauthorized, "the Authorization header must be Bearer <key>");
    }
    const std::string presented = sha256_hex(authorization.substr(kBearer.size()));
    const Party* found = nullptr;
    for (const auto& entry : entries_) {
        // Every entry is compared, so the time taken does not depend on which one matches.
        if (constant_time_equal(presented, entry.key_sha256)) {
            found = &entry.party;
        }
    }
    if (found == nullptr) {
        return fail(ErrorCode::Unauthorized, "this API key is not known");
    }
    return *found;
}

Expected<void> require_owner_or_admin(const Party& party, std::string_view owner) {
    if (party.is_admin() || party.name == owner) {
        return {};
    }
    return fail(ErrorCode::Forbidden, "this original belongs to another party");
}

bool is_party(const config::Config& config, std::string_view name) {
    return std::any_of(config.parties.begin(), config.parties.end(),
                       [&](const config::PartyConfig& party) { return party.name == name; });
}

}  // namespace imgline::app
