#pragma once

#include "common/expected.h"

#include <string>
#include <string_view>
#include <vector>

namespace imgline::server {

/// One part of a multipart/form-data body. `body` points into the request body.
struct FormPart {
    std::string name;
    std::string filename;  // empty for plain fields
    std::string content_type;
    std::string_view body;
};

/// The boundary parameter of a multipart/form-data Content-Type, or empty.
std::string multipart_boundary(std::string_view content_type);

/// Splits a multipart/form-data body (RFC 7578). Strict: a missing closing boundary, a part
/// without Content-Disposition, more than `max_parts` parts or a part header over 4 KiB is a
/// 400 that says which. Pure.
Expected<std::vector<FormPart>> parse_multipart(std::string_view body,
                                                std::string_view boundary,
                                                std::size_t max_parts = 32);

}  // namespace imgline::server
