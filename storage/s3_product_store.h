#pragma once

#include "storage/product_store.h"
#include "storage/s3/s3_client.h"

namespace imgline::storage {

/// Products in the object store every origin on the bucket and prefix shares:
/// products/<owner>/<sku>.json, each object written whole. For storage.kind = "s3".
class S3ProductStore final : public ProductStore {
public:
    S3ProductStore(config::S3Config settings, s3::ObjectHttp http, s3::StoreObserver observe = {});

    Expected<Product> read(std::string_view owner, std::string_view sku) const override;
    Expected<void> write(const Product& product) override;

private:
    s3::S3Client client_;
};

}  // namespace imgline::storage
