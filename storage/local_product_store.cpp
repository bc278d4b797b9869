#include "storage/local_product_store.h"

#include "storage/durable_file.h"

#include <boost/json/serialize.hpp>

namespace imgline::storage {

LocalProductStore::LocalProductStore(std::string data_dir) : root_(std::move(data_dir)) {}

Expected<Product> LocalProductStore::read(std::string_view owner, std::string_view sku) const {
    if (!is_sku(sku)) {
        return fail(ErrorCode::NotFound, "no such product");
    }
    auto text = read_file(root_ + "/" + product_path(owner, sku));
    if (!text) {
        return tl::unexpected(text.error());
    }
    return product_from_json(*text);
}

Expected<void> LocalProductStore::write(const Product& product) {
    if (!is_sku(product.sku) || product.owner.empty()) {
        return fail(ErrorCode::BadRequest, "a product needs an owner and a valid sku");
    }
    return write_durably(root_ + "/products/" + product.owner, product.sku + ".json",
                         boost::json::serialize(to_json(product)));
}

}  // namespace imgline::storage
