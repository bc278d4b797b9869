#pragma once

// Internal to pipeline/: opening client bytes with libvips.
#include <string_view>

#include <vips/vips8>

#include "pipeline/image_format.h"

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

private:
    VipsBlob* blob_;
};

/// Opens the header with the loader of `format` only (never libvips' own guess, so a file
/// can't reach a loader outside the allow-list). Lazy: no pixels are decoded. Throws VError.
vips::VImage open_with_loader(const BorrowedBlob& blob, ImageFormat format);

}  // namespace imgline::pipeline
