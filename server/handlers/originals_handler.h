#pragma once

#include "app/auth.h"
#include "app/mezzanine_keeper.h"
#include "app/product_slots.h"
#include "app/purge_fanout.h"
#include "app/version_history.h"
#include "config/config.h"
#include "server/router.h"
#include "storage/original_store.h"

#include <functional>
#include <string>
#include <vector>

namespace imgline::server {

/// What the originals API needs; all of it outlives the server.
struct OriginalsContext {
    const config::Config& config;
    storage::OriginalStore& store;
    const app::Authenticator& auth;
    app::PurgeFanout& purges;
    app::MezzanineKeeper& mezzanines;
    /// Uploads naming a slot (slot=) point it at the new original; deletes purge the slot
    /// URLs that showed it.
    app::ProductSlots& slots;
    /// The versions preset URLs carried before, whose edge copies a delete purges too.
    const app::VersionHistory& versions;
    /// The presets' versions under `config` (the URLs an answer lists carry them).
    std::shared_ptr<const app::PresetVersions> preset_versions;
    /// Called with the id of each original newly stored (pre-rendering); may be empty.
    std::function<void(const std::string&)> on_stored;
};

/// The originals API (docs/http-api.md):
///   POST   /v1/originals          upload: raw image body or multipart/form-data (25 MiB)
///   GET    /v1/originals          the caller's originals, paged (?sku=&limit=&after=&owner=)
///   GET    /v1/originals/{id}     one record (owner or admin)
///   DELETE /v1/originals/{id}     remove it (owner or admin); once gone, purge every edge
std::vector<Route> originals_routes(const OriginalsContext& context);

}  // namespace imgline::server
