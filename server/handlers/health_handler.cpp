#include "server/handlers/health_handler.h"

#include "app/carrier_directory.h"
#include "common/unix_time.h"
#include "pipeline/capabilities.h"
#include "server/server.h"
#include "storage/data_dir.h"
#include "storage/original_store.h"

#include <boost/json.hpp>

namespace imgline::server {
namespace {

// What this build can really read and write (detected at start-up by trying), so operators
// see at a glance whether AVIF is on.
boost::json::object formats_json() {
    boost::json::array read;
    boost::json::array write;
    for (auto format : pipeline::readable_formats()) {
        read.emplace_back(pipeline::format_name(format));
    }
    for (auto format : pipeline::writable_formats()) {
        write.emplace_back(pipeline::format_name(format));
    }
    return {{"read", std::move(read)}, {"write", std::move(write)}};
}

// The carrier lists in use: their snapshot date and age (informational: old lists still steer).
boost::json::object carrier_lists_json(const app::CarrierDirectory& carriers) {
    const std::string snapshot = carriers.snapshot();
    boost::json::object lists{{"snapshot", snapshot.empty() ? boost::json::value(nullptr)
                                                            : boost::json::value(snapshot)}};
    if (const auto age = app::snapshot_age_days(snapshot, unix_seconds_now())) {
        lists["age_days"] = *age;
        lists["stale"] = *age > app::kStaleCarrierListDays;
    }
    return lists;
}

}  // namespace

Route healthz_route() {
    Route route{
        {Method::Get}, "/healthz", "healthz", [](const Request&) -> Expected<Reply> {
            return Reply::json(200, {{"status", "ok"}}).with_header("Cache-Control", "no-store");
        }};
    route.answers_at_cap = true;
    return route;
}

Route readyz_route(Server& server,
                   std::string data_dir,
                   const storage::OriginalStore& store,
                   const app::CarrierDirectory& carriers) {
    auto handler = [&server, &store, &carriers,
                    data_dir = std::move(data_dir)](const Request&) -> Expected<Reply> {
        // The data directory holds the caches and large request bodies whichever store keeps
        // the originals.
        const auto storage = storage::probe_writable(data_dir);
        const auto originals = store.available();
        const bool accepting = !server.is_draining();
        const bool ready = storage.has_value() && originals.has_value() && accepting;
        boost::json::object checks{
            {"storage", storage ? "ok" : storage.error().public_message},
            {"originals", originals ? "ok" : originals.error().public_message},
            {"config", "loaded"},
            {"accepting", accepting}};
        return Reply::json(ready ? 200 : 503, {{"status", ready ? "ready" : "not_ready"},
                                               {"checks", checks},
                                               {"carrier_lists", carrier_lists_json(carriers)},
                                               {"formats", formats_json()}})
            .with_header("Cache-Control", "no-store");
    };
    Route route{{Method::Get},      "/readyz",         "readyz",
                std::move(handler), Execution::Worker, std::nullopt};
    route.answers_at_cap = true;
    return route;
}

}  // namespace imgline::server
