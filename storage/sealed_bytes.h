#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace imgline::storage {

/// Immutable bytes held in an anonymous in-memory file (memfd), sealed so nothing can change
/// or resize it. A response hands such a file to the kernel with sendfile(2), which shares its
/// pages with the socket instead of copying them from user memory for every request; the
/// seals make that safe, since the pages can never change under a send in flight. Owns the
/// descriptor; shared read-only by whoever is sending.
class SealedBytes {
public:
    /// A sealed copy of `bytes`, or nullptr where the kernel offers no memfd (callers keep the
    /// bytes in ordinary memory then).
    static std::shared_ptr<const SealedBytes> seal(std::string_view bytes);

    ~SealedBytes();
    SealedBytes(const SealedBytes&) = delete;
    SealedBytes& operator=(const SealedBytes&) = delete;

    int fd() const {
        return fd_;
    }

    std::uint64_t size() const {
        return size_;
    }

    /// A copy of `length` bytes from `offset` (clamped to the end).
    std::string read(std::uint64_t offset, std::uint64_t length) const;

private:
    SealedBytes(int fd, std::uint64_t size) : fd_(fd), size_(size) {}

    int fd_;
    std::uint64_t size_;
};

}  // namespace imgline::storage
