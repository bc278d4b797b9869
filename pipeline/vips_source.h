#pragma once

// Internal to pipeline/: opening client bytes with libvips, and turning its errors into ours.
#include "common/expected.h"
#include "pipeline/deadline_guard.h"
#include "pipeline/image_format.h"

#include <string>
#include <string_view>

#include <vips/vips8>

namespace imgline::pipeline {

/// A VipsBlob over bytes the caller keeps alive for as long as any image made from it is
/// evaluated (no copy). Unreferenced on destruction.
class BorrowedBlob {
public:
    explicit BorrowedBlob(std::string_view bytes)
        : blob_(vips_blob_new(nullptr, bytes.data(), bytes.size())) {}

    ~BorrowedBlob() {
        vips_area_unref(VIPS_AREA(blob_));
    }

    BorrowedBlob(const BorrowedBlob&) = delete;
    BorrowedBlob& operator=(const BorrowedBlob&) = delete;

    VipsBlob* get() const {
        return blob_;
    }

    std::string_view bytes() const {
        return {static_cast<const char*>(VIPS_AREA(blob_)->data), VIPS_AREA(blob_)->length};
    }

private:
    VipsBlob* blob_;
};

/// The bytes of a blob a libvips save returned, copied out; the blob is unreferenced.
inline std::string take_blob(VipsBlob* blob) {
    std::size_t length = 0;
    const void* data = vips_blob_get(blob, &length);
    std::string bytes(static_cast<const char*>(data), length);
    vips_area_unref(VIPS_AREA(blob));
    return bytes;
}

/// Opens the header with the loader of `format` only (never libvips' own guess, so a file
/// can't reach a loader outside the allow-list). Lazy: no pixels are decoded. Throws VError.
vips::VImage open_with_loader(const BorrowedBlob& blob, ImageFormat format);

/// The Error for a libvips exception: its text goes to `detail` only, and libvips' global error
/// buffer is cleared so the next failure (on any thread) does not carry this one's text.
inline tl::unexpected<Error> vips_failure(ErrorCode code,
                                          std::string public_message,
                                          const vips::VError& error) {
    vips_error_clear();
    return fail(code, std::move(public_message), error.what());
}

/// The same for work under a deadline: a failure after the deadline is a Timeout (503), since
/// the deadline guard is what stopped libvips.
inline tl::unexpected<Error> vips_failure(const DeadlineGuard& guard,
                                          ErrorCode code,
                                          std::string public_message,
                                          const vips::VError& error) {
    if (guard.expired()) {
        return vips_failure(ErrorCode::Timeout, "the image took too long to process", error);
    }
    return vips_failure(code, std::move(public_message), error);
}

}  // namespace imgline::pipeline
