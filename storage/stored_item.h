#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace imgline::storage {

/// One thing a store keeps, named alike in every store: what `imgline migrate` copies from one
/// store to another, one at a time.
struct StoredItem {
    enum class Kind { Original, Mezzanine, Record, Tombstone, Product };
    Kind kind = Kind::Original;
    std::string id;     // a Product's SKU
    std::string owner;  // a Record's or a Product's party
    int side = 0;       // a Mezzanine's long side

    /// "original/<id>", "mezzanine/<id>.<side>", "record/<id>/<owner>", "tombstone/<id>",
    /// "product/<owner>/<sku>".
    std::string name() const;
};

}  // namespace imgline::storage
