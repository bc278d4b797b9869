#include "server/spooled_bytes.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <utility>

namespace imgline::server {

SpooledBytes::~SpooledBytes() {
    release();
}

SpooledBytes::SpooledBytes(SpooledBytes&& other) noexcept {
    *this = std::move(other);
}

SpooledBytes& SpooledBytes::operator=(SpooledBytes&& other) noexcept {
    if (this != &other) {
        release();
        dir_ = other.dir_;
        memory_limit_ = other.memory_limit_;
        memory_ = std::move(other.memory_);
        fd_ = std::exchange(other.fd_, -1);
        map_ = std::exchange(other.map_, nullptr);
        size_ = std::exchange(other.size_, 0);
        failure_ = std::move(other.failure_);
        failure_errno_ = std::exchange(other.failure_errno_, 0);
    }
    return *this;
}

void SpooledBytes::release() {
    if (map_ != nullptr) {
        ::munmap(const_cast<char*>(map_), size_);
        map_ = nullptr;
    }
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

void SpooledBytes::spool_to(const std::string& dir, std::size_t memory_limit) {
    dir_ = &dir;
    memory_limit_ = memory_limit;
}

bool SpooledBytes::fail(std::string_view what, int error) {
    failure_errno_ = error;
    failure_ = std::string(what) + " in " + *dir_ + ": " + std::strerror(error);
    return false;
}

bool SpooledBytes::open_file() {
    // Unnamed: the file is gone with its descriptor, whatever ends the process.
    fd_ = ::open(dir_->c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        // A filesystem without O_TMPFILE: a named file, unlinked at once. Its ".tmp-" name is
        // swept at start-up should the process die between the two calls.
        std::string path = *dir_ + "/.tmp-body-XXXXXX";
        fd_ = ::mkostemp(path.data(), O_CLOEXEC);
        if (fd_ >= 0) {
            ::unlink(path.c_str());
        }
    }
    if (fd_ < 0) {
        return fail("could not create a temporary file for the request body", errno);
    }
    if (!memory_.empty()) {
        const std::string held = std::exchange(memory_, {});
        size_ = 0;
        return append(held);
    }
    return true;
}

bool SpooledBytes::expect(std::optional<std::uint64_t> length) {
    if (!length) {
        return true;
    }
    if (dir_ != nullptr && *length > memory_limit_) {
        return open_file();
    }
    memory_.reserve(static_cast<std::size_t>(*length));
    return true;
}

bool SpooledBytes::append(std::string_view bytes) {
    if (!failure_.empty()) {
        return false;
    }
    if (fd_ < 0) {
        if (dir_ == nullptr || memory_.size() + bytes.size() <= memory_limit_) {
            memory_.append(bytes);
            size_ += bytes.size();
            return true;
        }
        if (!open_file()) {
            return false;
        }
    }
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            return fail("could not write the request body to a temporary file", errno);
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
        size_ += static_cast<std::uint64_t>(written);
    }
    return true;
}

bool SpooledBytes::finish() {
    if (!failure_.empty()) {
        return false;
    }
    if (fd_ < 0 || size_ == 0 || map_ != nullptr) {
        return true;
    }
    void* mapped = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (mapped == MAP_FAILED) {
        return fail("could not map the request body's temporary file", errno);
    }
    ::madvise(mapped, size_, MADV_SEQUENTIAL);
    map_ = static_cast<const char*>(mapped);
    return true;
}

std::string_view SpooledBytes::view() const {
    if (fd_ >= 0) {
        return map_ == nullptr ? std::string_view{} : std::string_view(map_, size_);
    }
    return memory_;
}

}  // namespace imgline::server
