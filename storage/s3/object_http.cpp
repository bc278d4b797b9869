#include "storage/s3/object_http.h"

#include <strings.h>

namespace imgline::storage::s3 {

std::string ObjectResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0) {
            return value;
        }
    }
    return {};
}

}  // namespace imgline::storage::s3
