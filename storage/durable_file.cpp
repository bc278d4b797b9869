#include "storage/durable_file.h"

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace imgline::storage {

Error errno_error(int error, const std::string& what) {
    const std::string detail = what + ": " + std::system_category().message(error);
    if (error == ENOSPC || error == EDQUOT) {
        return make_error(ErrorCode::InsufficientStorage, "the server's disk is full", detail);
    }
    return make_error(ErrorCode::StorageUnavailable, "storage failed", detail);
}

namespace {

namespace fs = std::filesystem;

Expected<void> fsync_path(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return tl::unexpected(errno_error(errno, "open " + path));
    }
    const int result = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (result != 0) {
        return tl::unexpected(errno_error(error, "fsync " + path));
    }
    return {};
}

// mkdir -p, fsyncing each parent whose entry list changed, so a created directory survives a
// crash along with the file that is about to be written into it.
Expected<void> ensure_directory(const fs::path& dir) {
    std::error_code ec;
    if (fs::is_directory(dir, ec)) {
        return {};
    }
    if (auto parent = ensure_directory(dir.parent_path()); !parent) {
        return parent;
    }
    if (::mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST) {
        return tl::unexpected(errno_error(errno, "mkdir " + dir.string()));
    }
    return fsync_path(dir.parent_path().string());
}

std::string temporary_name() {
    thread_local std::mt19937_64 random{std::random_device{}()};
    static std::atomic<std::uint64_t> counter{0};
    return std::string(kTemporaryPrefix) + std::to_string(::getpid()) + "-" +
           std::to_string(counter.fetch_add(1)) + "-" + std::to_string(random());
}

Expected<void> write_all(int fd, std::string_view bytes, const std::string& path) {
    while (!bytes.empty()) {
        const auto written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            return tl::unexpected(errno_error(errno, "write " + path));
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return {};
}

}  // namespace

Expected<void> write_durably(const std::string& dir,
                             const std::string& name,
                             std::string_view bytes) {
    if (auto made = ensure_directory(dir); !made) {
        return made;
    }
    const std::string temporary = dir + "/" + temporary_name();
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) {
        return tl::unexpected(errno_error(errno, "create " + temporary));
    }
    auto written = write_all(fd, bytes, temporary);
    if (written && ::fsync(fd) != 0) {
        written = tl::unexpected(errno_error(errno, "fsync " + temporary));
    }
    if (::close(fd) != 0 && written) {
        written = tl::unexpected(errno_error(errno, "close " + temporary));
    }
    if (!written) {
        ::unlink(temporary.c_str());
        return written;
    }
    const std::string final_path = dir + "/" + name;
    if (::rename(temporary.c_str(), final_path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        return tl::unexpected(errno_error(error, "rename " + final_path));
    }
    return fsync_path(dir);
}

Expected<void> remove_durably(const std::string& path) {
    if (::unlink(path.c_str()) != 0) {
        if (errno == ENOENT) {
            return {};
        }
        return tl::unexpected(errno_error(errno, "unlink " + path));
    }
    return fsync_path(fs::path(path).parent_path().string());
}

Expected<std::string> read_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            return fail(ErrorCode::NotFound, "not found");
        }
        return tl::unexpected(errno_error(errno, "open " + path));
    }
    std::string bytes;
    char chunk[65536];
    while (true) {
        const auto got = ::read(fd, chunk, sizeof(chunk));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            const int error = errno;
            ::close(fd);
            return tl::unexpected(errno_error(error, "read " + path));
        }
        if (got == 0) {
            break;
        }
        bytes.append(chunk, static_cast<std::size_t>(got));
    }
    ::close(fd);
    return bytes;
}

std::size_t remove_leftover_temporaries(const std::string& root) {
    std::size_t removed = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) &&
            it->path().filename().string().starts_with(kTemporaryPrefix)) {
            if (fs::remove(it->path(), ec)) {
                ++removed;
            }
        }
    }
    return removed;
}

}  // namespace imgline::storage
