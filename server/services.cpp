#include "server/services.h"

namespace imgline::server {

Services::Services(storage::LocalStore opened,
                   const config::Config& config,
                   prometheus::Registry& registry)
    : store(std::move(opened)),
      auth(config.parties),
      cache(config.storage.memory_cache_bytes,
            config.storage.data_dir + "/cache",
            config.storage.disk_cache_bytes),
      image_metrics(registry) {}

Expected<std::unique_ptr<Services>> Services::create(const config::Config& config,
                                                     prometheus::Registry& registry) {
    auto store = storage::LocalStore::open(config.storage.data_dir);
    if (!store) {
        return tl::unexpected(store.error());
    }
    return std::unique_ptr<Services>(new Services(std::move(*store), config, registry));
}

}  // namespace imgline::server
