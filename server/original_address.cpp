#include "server/original_address.h"

#include <algorithm>

namespace imgline::server {

Expected<AddressedOriginal> address_original(const storage::OriginalStore& store,
                                             const Request& request) {
    std::string id(request.params.get("id"));
    if (!storage::is_valid_id(id)) {
        return fail(ErrorCode::BadRequest, "an original id is 64 lower-case hex digits");
    }
    auto owners = store.owners_of(id);
    if (!owners) {
        return tl::unexpected(owners.error());
    }
    if (owners->empty()) {
        return fail(ErrorCode::NotFound, "no such original");
    }
    auto records = store.records_of(id);
    return AddressedOriginal{*request.party, std::move(id), std::move(records), std::move(*owners)};
}

Expected<storage::OriginalRecord> visible_record(const storage::OriginalStore& store,
                                                 const Request& request) {
    auto found = address_original(store, request);
    if (!found) {
        return tl::unexpected(found.error());
    }
    auto& records = found->records;
    if (records.empty()) {
        // Only unreadable records (logged by the store): say so to those who may delete them.
        const auto& owners = found->owners;
        const bool owns =
            std::find(owners.begin(), owners.end(), found->party.name) != owners.end();
        if (!owns && !found->party.is_admin()) {
            return fail(ErrorCode::Forbidden, "this original belongs to another party");
        }
        return fail(ErrorCode::StorageUnavailable,
                    "this original's stored record cannot be read; its owner or an admin can "
                    "delete it (DELETE /v1/originals/{id}) and upload it again");
    }
    const auto mine = std::find_if(records.begin(), records.end(), [&](const auto& record) {
        return record.owner == found->party.name;
    });
    auto& shown = mine != records.end() ? *mine : records.front();
    if (auto allowed = app::require_owner_or_admin(found->party, shown.owner); !allowed) {
        return tl::unexpected(allowed.error());
    }
    return std::move(shown);
}

}  // namespace imgline::server
