#pragma once

#include "storage/product_store.h"

#include <string>

namespace imgline::storage {

/// Products on the local disk: <data_dir>/products/<owner>/<sku>.json, each written whole with
/// write_durably (nothing acknowledged before it is on disk, nothing partial ever read). Owner
/// names come from the configuration and SKUs pass is_sku(), so no path is built from anything
/// else.
class LocalProductStore final : public ProductStore {
public:
    explicit LocalProductStore(std::string data_dir);

    Expected<Product> read(std::string_view owner, std::string_view sku) const override;
    Expected<void> write(const Product& product) override;

private:
    std::string root_;
};

}  // namespace imgline::storage
