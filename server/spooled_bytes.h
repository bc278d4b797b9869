#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imgline::server {

/// A request body as it arrives: in memory up to a limit, and past it in an unnamed temporary
/// file (O_TMPFILE, so a crash leaves nothing behind), mapped read-only once complete. Either
/// way the finished body is one contiguous view, so handlers need not know where it was held,
/// and a client sending a large upload slowly costs the server disk, not memory.
class SpooledBytes {
public:
    SpooledBytes() = default;
    ~SpooledBytes();
    SpooledBytes(SpooledBytes&& other) noexcept;
    SpooledBytes& operator=(SpooledBytes&& other) noexcept;
    SpooledBytes(const SpooledBytes&) = delete;
    SpooledBytes& operator=(const SpooledBytes&) = delete;

    /// Where bytes past `memory_limit` go (`dir` must outlive the body: the server's, set on
    /// every request, is not copied). Before the first byte; without it, all stays in memory.
    void spool_to(const std::string& dir, std::size_t memory_limit);

    /// The body's length from its header, when it has one: a body known to be larger than the
    /// memory limit goes to a file from its first byte, a smaller one gets its memory at once.
    bool expect(std::optional<std::uint64_t> length);
    /// Adds bytes; false (see failure()) when the file could not take them.
    bool append(std::string_view bytes);
    /// The body is complete: maps the file. False (see failure()) when that failed.
    bool finish();

    /// The whole body; valid after finish() (or for a body held in memory, at any time).
    std::string_view view() const;

    std::uint64_t size() const {
        return size_;
    }

    /// True when the body went to a temporary file.
    bool on_disk() const {
        return fd_ >= 0;
    }

    /// Why the body could not be held ("No space left on device ..."), empty while fine.
    const std::string& failure() const {
        return failure_;
    }

    /// The errno of the failure, 0 while fine.
    int failure_errno() const {
        return failure_errno_;
    }

private:
    bool open_file();
    bool fail(std::string_view what, int error);
    void release();

    const std::string* dir_ = nullptr;  // null: everything in memory
    std::size_t memory_limit_ = 0;
    std::string memory_;
    int fd_ = -1;
    const char* map_ = nullptr;
    std::uint64_t size_ = 0;
    std::string failure_;
    int failure_errno_ = 0;
};

}  // namespace imgline::server
