#include "storage/sealed_bytes.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace imgline::storage {

std::shared_ptr<const SealedBytes> SealedBytes::seal(std::string_view bytes) {
    const int fd = ::memfd_create("imgline-rendition", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) {
        return nullptr;
    }
    std::shared_ptr<const SealedBytes> sealed(new SealedBytes(fd, bytes.size()));
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return nullptr;
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
        return nullptr;
    }
    return sealed;
}

SealedBytes::~SealedBytes() {
    ::close(fd_);
}

std::string SealedBytes::read(std::uint64_t offset, std::uint64_t length) const {
    if (offset >= size_) {
        return {};
    }
    std::string out(static_cast<std::size_t>(std::min(length, size_ - offset)), '\0');
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n =
            ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;  // cannot happen for a sealed file of this size; return what was read
        }
        done += static_cast<std::size_t>(n);
    }
    out.resize(done);
    return out;
}

}  // namespace imgline::storage
