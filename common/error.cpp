#include "common/error.h"

#include <exception>
#include <new>

#include <boost/json.hpp>

namespace imgline {

int http_status(ErrorCode code) {
    // One switch and no default: the compiler flags a new code without a status.
    switch (code) {
        case ErrorCode::BadRequest:
            return 400;
        case ErrorCode::Unauthorized:
            return 401;
        case ErrorCode::Forbidden:
        case ErrorCode::BadSignature:
        case ErrorCode::Expired:
            return 403;
        case ErrorCode::NotFound:
        case ErrorCode::UnknownPreset:
            return 404;
        case ErrorCode::MethodNotAllowed:
            return 405;
        case ErrorCode::Gone:
            return 410;
        case ErrorCode::Conflict:
            return 409;
        case ErrorCode::PayloadTooLarge:
            return 413;
        case ErrorCode::UnsupportedMediaType:
            return 415;
        case ErrorCode::RangeNotSatisfiable:
            return 416;
        case ErrorCode::UnsupportedImage:
        case ErrorCode::CorruptImage:
        case ErrorCode::TooManyPixels:
        case ErrorCode::BrandRulesFailed:
            return 422;
        case ErrorCode::HeaderTooLarge:
            return 431;
        case ErrorCode::Internal:
            return 500;
        case ErrorCode::Overloaded:
        case ErrorCode::Timeout:
        case ErrorCode::StorageUnavailable:
            return 503;
        case ErrorCode::InsufficientStorage:
            return 507;
    }
    return 500;
}

std::string_view error_slug(ErrorCode code) {
    switch (code) {
        case ErrorCode::BadRequest:
            return "bad_request";
        case ErrorCode::Unauthorized:
            return "unauthorized";
        case ErrorCode::Forbidden:
            return "forbidden";
        case ErrorCode::BadSignature:
            return "bad_signature";
        case ErrorCode::Expired:
            return "expired";
        case ErrorCode::NotFound:
            return "not_found";
        case ErrorCode::UnknownPreset:
            return "unknown_preset";
        case ErrorCode::MethodNotAllowed:
            return "method_not_allowed";
        case ErrorCode::Gone:
            return "gone";
        case ErrorCode::Conflict:
            return "conflict";
        case ErrorCode::PayloadTooLarge:
            return "payload_too_large";
        case ErrorCode::HeaderTooLarge:
            return "header_too_large";
        case ErrorCode::UnsupportedMediaType:
            return "unsupported_media_type";
        case ErrorCode::RangeNotSatisfiable:
            return "range_not_satisfiable";
        case ErrorCode::UnsupportedImage:
            return "unsupported_image";
        case ErrorCode::CorruptImage:
            return "corrupt_image";
        case ErrorCode::TooManyPixels:
            return "too_many_pixels";
        case ErrorCode::BrandRulesFailed:
            return "brand_rules_failed";
        case ErrorCode::Overloaded:
            return "overloaded";
        case ErrorCode::Timeout:
            return "timeout";
        case ErrorCode::StorageUnavailable:
            return "storage_unavailable";
        case ErrorCode::InsufficientStorage:
            return "insufficient_storage";
        case ErrorCode::Internal:
            return "internal";
    }
    return "internal";
}

bool is_client_error(ErrorCode code) {
    const int status = http_status(code);
    return status >= 400 && status < 500;
}

std::string error_json(const Error& error, std::string_view request_id) {
    boost::json::object inner;
    inner["code"] = error_slug(error.code);
    inner["message"] = error.public_message;
    inner["request_id"] = request_id;
    boost::json::object outer;
    outer["error"] = std::move(inner);
    return boost::json::serialize(outer);
}

Error make_error(ErrorCode code, std::string public_message, std::string detail) {
    return Error{code, std::move(public_message), std::move(detail)};
}

Error error_from_current_exception() {
    try {
        throw;
    } catch (const std::bad_alloc&) {
        return make_error(ErrorCode::Overloaded,
                          "the server has no memory free for this request; try again shortly",
                          "std::bad_alloc");
    } catch (const std::exception& error) {
        return make_error(ErrorCode::Internal, "an internal error occurred", error.what());
    } catch (...) {
        return make_error(ErrorCode::Internal, "an internal error occurred", "unknown exception");
    }
}

}  // namespace imgline
