#pragma once

#include "common/expected.h"
#include "storage/product.h"

#include <string_view>

namespace imgline::storage {

/// Where products (an owner's SKU and its image slots) are kept, beside the originals:
/// LocalProductStore on the local disk, S3ProductStore in the object store every origin shares.
/// Both pass tests/support/product_store_conformance.h. Thread-safe; callers serialise changes
/// to one product (app::ProductSlots does). Across origins sharing an object store the last
/// write of a product wins.
class ProductStore {
public:
    virtual ~ProductStore() = default;

    /// `owner`'s product `sku`; NotFound when it has none.
    virtual Expected<Product> read(std::string_view owner, std::string_view sku) const = 0;

    /// Keeps `product` (whole, durably) in place of what was stored.
    virtual Expected<void> write(const Product& product) = 0;
};

}  // namespace imgline::storage
