#pragma once

#include <string>
#include <string_view>

namespace imgline {

/// Every failure a client, the environment or a bug can cause, named once. Each code maps to
/// one HTTP status and one stable slug (docs/http-api.md lists them for API users).
enum class ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    BadSignature,
    Expired,
    NotFound,
    UnknownPreset,
    MethodNotAllowed,
    Gone,
    Conflict,
    PayloadTooLarge,
    HeaderTooLarge,
    UnsupportedMediaType,
    RangeNotSatisfiable,
    UnsupportedImage,
    CorruptImage,
    TooManyPixels,
    BrandRulesFailed,
    Overloaded,
    Timeout,
    StorageUnavailable,
    InsufficientStorage,
    Internal,
};

/// A failure as a value. `public_message` is safe to show a shop owner; `detail` is for the
/// log only (libvips text, errno, file paths) and never leaves the server.
struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string public_message;
    std::string detail;
};

/// HTTP status for a code (400..599).
int http_status(ErrorCode code);

/// Stable machine-readable name, e.g. "unsupported_image".
std::string_view error_slug(ErrorCode code);

/// True when the client caused it (a 4xx); such errors are logged at info level.
bool is_client_error(ErrorCode code);

/// `{"error":{"code":"…","message":"…","request_id":"…"}}`, escape-safe.
std::string error_json(const Error& error, std::string_view request_id);

/// Shorthand constructors: `make_error(ErrorCode::NotFound, "no such image")`.
Error make_error(ErrorCode code, std::string public_message, std::string detail = {});

/// What a stray exception means for the request it ended, inside a `catch (...)`: running out
/// of memory (std::bad_alloc) is a 503 overloaded — the server goes on, and the client may try
/// again — and anything else is a 500 internal error, its what() kept for the log.
Error error_from_current_exception();

}  // namespace imgline
