#include "storage/s3_product_store.h"

#include <boost/json/serialize.hpp>

namespace imgline::storage {
S3ProductStore::S3ProductStore(config::S3Config settings,
                               s3::ObjectHttp http,
                               s3::StoreObserver observe)
    : client_(std::move(settings), std::move(http), std::move(observe)) {}

Expected<Product> S3ProductStore::read(std::string_view owner, std::string_view sku) const {
    if (!is_sku(sku)) {
        return fail(ErrorCode::NotFound, "no such product");
    }
    auto text = client_.get(product_path(owner, sku));
    if (!text) {
        return tl::unexpected(text.error());
    }
    return product_from_json(*text);
}

Expected<void> S3ProductStore::write(const Product& product) {
    if (!is_sku(product.sku) || product.owner.empty()) {
        return fail(ErrorCode::BadRequest, "a product needs an owner and a valid sku");
    }
    return client_.put(product_path(product.owner, product.sku),
                       boost::json::serialize(to_json(product)));
}

}  // namespace imgline::storage
