#pragma once

#include <cstdint>

namespace imgline::storage {

/// An open file and the byte range of it to send: what lets a cached rendition go to a socket
/// with sendfile(2), straight from the page cache. Owns the descriptor (closed on
/// destruction); move-only.
class FileSlice {
public:
    FileSlice(int fd, std::uint64_t offset, std::uint64_t length)
        : fd_(fd), offset_(offset), length_(length) {}

    ~FileSlice();
    FileSlice(FileSlice&& other) noexcept;
    FileSlice& operator=(FileSlice&&) = delete;
    FileSlice(const FileSlice&) = delete;
    FileSlice& operator=(const FileSlice&) = delete;

    /// Gives up ownership of the descriptor.
    int release_fd() {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }

    int fd() const {
        return fd_;
    }

    std::uint64_t offset() const {
        return offset_;
    }

    std::uint64_t length() const {
        return length_;
    }

private:
    int fd_;
    std::uint64_t offset_;
    std::uint64_t length_;
};

}  // namespace imgline::storage
