#include "storage/data_dir.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace imgline::storage {
namespace {

std::string errno_text(int error) {
    return std::system_category().message(error);
}

}  // namespace

Expected<void> prepare_data_dir(const std::string& path) {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) {
        return fail(ErrorCode::StorageUnavailable, "the data directory cannot be created",
                    path + ": " + ec.message());
    }
    if (!std::filesystem::is_directory(path, ec)) {
        return fail(ErrorCode::StorageUnavailable, "the data directory is not a directory", path);
    }
    // Suppliers' originals and records are nobody else's business: the owner and its group
    // only (new files are 0640, folders 0750; see durable_file).
    using std::filesystem::perms;
    std::filesystem::permissions(path, perms::others_all, std::filesystem::perm_options::remove,
                                 ec);
    return {};
}

Expected<void> probe_writable(const std::string& path) {
    // A unique name per probe: concurrent /readyz calls never collide, and a crash mid-probe
    // leaves a ".probe-" file that is harmless and recognisable.
    static std::atomic<unsigned long> counter{0};
    const std::string probe =
        path + "/.probe-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        const int error = errno;
        return fail(ErrorCode::StorageUnavailable, "storage is not writable",
                    probe + ": " + errno_text(error));
    }
    const char byte = 'x';
    const bool written = ::write(fd, &byte, 1) == 1;
    const int write_error = errno;
    ::close(fd);
    ::unlink(probe.c_str());
    if (!written) {
        return fail(ErrorCode::StorageUnavailable, "storage is not writable",
                    probe + ": " + errno_text(write_error));
    }
    return {};
}

}  // namespace imgline::storage
