#include "storage/stored_item.h"

namespace imgline::storage {

std::string StoredItem::name() const {
    switch (kind) {
        case Kind::Original:
            return "original/" + id;
        case Kind::Mezzanine:
            return "mezzanine/" + id + "." + std::to_string(side);
        case Kind::Record:
            return "record/" + id + "/" + owner;
        case Kind::Tombstone:
            return "tombstone/" + id;
        case Kind::Product:
            return "product/" + owner + "/" + id;
    }
    return {};
}

}  // namespace imgline::storage
