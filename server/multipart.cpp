#include "server/multipart.h"

#include "common/text.h"

namespace imgline::server {
namespace {

constexpr std::size_t kMaxPartHeader = 4096;

// The value of `key=` (quoted or not) in a header like `form-data; name="x"; filename="y"`.
std::string parameter(std::string_view header, std::string_view key) {
    std::size_t at = 0;
    while ((at = header.find(';', at)) != std::string_view::npos) {
        ++at;
        std::string_view rest = trim(header.substr(at));
        const auto equals = rest.find('=');
        if (equals == std::string_view::npos) {
            continue;
        }
        if (!equals_ignoring_case(trim(rest.substr(0, equals)), key)) {
            continue;
        }
        std::string_view value = rest.substr(equals + 1);
        if (value.starts_with('"')) {
            const auto close = value.find('"', 1);
            return std::string(
                value.substr(1, close == std::string_view::npos ? value.size() - 1 : close - 1));
        }
        return std::string(trim(value.substr(0, value.find(';'))));
    }
    return {};
}

Expected<FormPart> parse_part(std::string_view part) {
    const auto header_end = part.find("\r\n\r\n");
    if (header_end == std::string_view::npos || header_end > kMaxPartHeader) {
        return fail(ErrorCode::BadRequest, "a multipart part has no header or a header over 4 KiB");
    }
    FormPart parsed;
    bool has_disposition = false;
    std::string_view headers = part.substr(0, header_end);
    while (!headers.empty()) {
        const auto line_end = headers.find("\r\n");
        const std::string_view line = headers.substr(0, line_end);
        headers =
            line_end == std::string_view::npos ? std::string_view{} : headers.substr(line_end + 2);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            continue;
        }
        const std::string_view name = trim(line.substr(0, colon));
        const std::string_view value = trim(line.substr(colon + 1));
        if (equals_ignoring_case(name, "Content-Disposition")) {
            has_disposition = true;
            parsed.name = parameter(value, "name");
            parsed.filename = parameter(value, "filename");
        } else if (equals_ignoring_case(name, "Content-Type")) {
            parsed.content_type = std::string(value);
        }
    }
    if (!has_disposition || parsed.name.empty()) {
        return fail(ErrorCode::BadRequest,
                    "a multipart part has no Content-Disposition with a name");
    }
    parsed.body = part.substr(header_end + 4);
    return parsed;
}

}  // namespace

std::string multipart_boundary(std::string_view content_type) {
    const auto semicolon = content_type.find(';');
    if (!equals_ignoring_case(trim(content_type.substr(0, semicolon)), "multipart/form-data")) {
        return {};
    }
    return parameter(content_type, "boundary");
}

Expected<std::vector<FormPart>> parse_multipart(std::string_view body,
                                                std::string_view boundary,
                                                std::size_t max_parts) {
    if (boundary.empty() || boundary.size() > 70) {
        return fail(ErrorCode::BadRequest, "the multipart boundary is missing or too long");
    }
    const std::string delimiter = "--" + std::string(boundary);
    if (!body.starts_with(delimiter)) {
        return fail(ErrorCode::BadRequest, "the multipart body does not start with its boundary");
    }
    const std::string separator = "\r\n" + delimiter;
    std::vector<FormPart> parts;
    std::size_t at = delimiter.size();
    while (true) {
        if (body.substr(at, 2) == "--") {
            return parts;  // closing delimiter
        }
        if (body.substr(at, 2) != "\r\n") {
            return fail(ErrorCode::BadRequest, "a multipart boundary is not followed by CRLF");
        }
        at += 2;
        const auto next = body.find(separator, at);
        if (next == std::string_view::npos) {
            return fail(ErrorCode::BadRequest, "the multipart body has no closing boundary");
        }
        if (parts.size() == max_parts) {
            return fail(ErrorCode::BadRequest, "a multipart body may hold at most " +
                                                   std::to_string(max_parts) + " parts");
        }
        auto part = parse_part(body.substr(at, next - at));
        if (!part) {
            return tl::unexpected(part.error());
        }
        parts.push_back(std::move(*part));
        at = next + separator.size();
    }
}

}  // namespace imgline::server
