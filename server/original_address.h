#pragma once

#include "app/auth.h"
#include "common/expected.h"
#include "server/request.h"
#include "storage/original_store.h"

#include <string>
#include <vector>

namespace imgline::server {

/// The caller's party, the original id from the path ({id}), and every party's record of it.
struct AddressedOriginal {
    app::Party party;
    std::string id;
    std::vector<storage::OriginalRecord> records;  // the readable ones
    std::vector<std::string> owners;               // every party with a record, readable or not
};

/// For a route with a key check (the party is known): 400 for an id that is not 64 hex digits,
/// 404 when no party has it.
Expected<AddressedOriginal> address_original(const storage::OriginalStore& store,
                                             const Request& request);

/// The record the caller may see: their own, else (for an admin) the first party's; 403 when
/// it belongs to another party.
Expected<storage::OriginalRecord> visible_record(const storage::OriginalStore& store,
                                                 const Request& request);

}  // namespace imgline::server
