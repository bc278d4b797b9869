#include "storage/file_slice.h"

#include <unistd.h>

namespace imgline::storage {

FileSlice::~FileSlice() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

FileSlice::FileSlice(FileSlice&& other) noexcept
    : fd_(other.fd_), offset_(other.offset_), length_(other.length_) {
    other.fd_ = -1;
}

}  // namespace imgline::storage
