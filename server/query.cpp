#include "server/query.h"

#include <algorithm>

#include <boost/url/parse_query.hpp>

namespace imgline::server {

Expected<std::map<std::string, std::string, std::less<>>> parse_query(
    std::string_view query, std::initializer_list<std::string_view> allowed) {
    std::map<std::string, std::string, std::less<>> params;
    if (query.empty()) {
        return params;
    }
    auto parsed = boost::urls::parse_query(query);
    if (!parsed) {
        return fail(ErrorCode::BadRequest, "the query string is not valid");
    }
    for (const auto& param : *parsed) {
        const std::string key = param.key.decode();
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            return fail(ErrorCode::BadRequest, "unknown query parameter '" + key + "'");
        }
        if (!params.emplace(key, param.value.decode()).second) {
            return fail(ErrorCode::BadRequest, "query parameter '" + key + "' is given twice");
        }
    }
    return params;
}

}  // namespace imgline::server
