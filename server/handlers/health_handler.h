#pragma once

#include "app/carrier_directory.h"
#include "server/router.h"
#include "storage/original_store.h"

#include <string>

namespace imgline::server {

class Server;

/// GET /healthz: 200 while the process serves HTTP at all (liveness).
Route healthz_route();

/// GET /readyz: 200 when the data directory is writable, the originals store is available (the
/// object store answering, for storage.kind = "s3") and the server is not shutting down; 503
/// otherwise, with each check's result, so a load balancer or edge takes it out of
/// rotation. Also reports the carrier lists' snapshot date and age (informational). Runs on
/// the worker pool (it touches the disk); a full pool also answers 503.
Route readyz_route(Server& server,
                   std::string data_dir,
                   const storage::OriginalStore& store,
                   const app::CarrierDirectory& carriers);

}  // namespace imgline::server
