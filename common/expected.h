#pragma once

#include "common/error.h"

#include <tl/expected.hpp>

namespace imgline {

/// The return type of anything a client or the environment can make fail.
template <class T>
using Expected = tl::expected<T, Error>;

/// `return fail(ErrorCode::NotFound, "no such image");` inside a function returning Expected.
inline tl::unexpected<Error> fail(ErrorCode code,
                                  std::string public_message,
                                  std::string detail = {}) {
    return tl::unexpected<Error>(make_error(code, std::move(public_message), std::move(detail)));
}

}  // namespace imgline
