#include "storage/store_migration.h"

#include "common/sha256.h"
#include "storage/durable_file.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace imgline::storage {

Expected<std::unique_ptr<MigrationCheckpoint>> MigrationCheckpoint::open(const std::string& path) {
    const std::string text = read_file(path).value_or(std::string());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        return tl::unexpected(errno_error(errno, "open " + path));
    }
    std::unique_ptr<MigrationCheckpoint> checkpoint(new MigrationCheckpoint(fd));
    std::size_t at = 0;
    // Only whole lines: the last one may have been cut short by a crash.
    for (std::size_t end = text.find('\n'); end != std::string::npos;
         at = end + 1, end = text.find('\n', at)) {
        checkpoint->done_.insert(text.substr(at, end - at));
    }
    if (at < text.size()) {
        // Ends the cut line, so the next name starts on a line of its own.
        if (::write(fd, "\n", 1) != 1 || ::fdatasync(fd) != 0) {
            return tl::unexpected(errno_error(errno, "write " + path));
        }
    }
    return checkpoint;
}

MigrationCheckpoint::~MigrationCheckpoint() {
    ::close(fd_);
}

bool MigrationCheckpoint::has(const std::string& name) const {
    std::lock_guard lock(mutex_);
    return done_.count(name) == 1;
}

std::size_t MigrationCheckpoint::size() const {
    std::lock_guard lock(mutex_);
    return done_.size();
}

Expected<void> MigrationCheckpoint::add(const std::string& name) {
    const std::string line = name + "\n";
    std::lock_guard lock(mutex_);
    if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()) ||
        ::fdatasync(fd_) != 0) {
        return tl::unexpected(errno_error(errno, "write the migration checkpoint"));
    }
    done_.insert(name);
    return {};
}

std::string checkpoint_path(const std::string& data_dir, const config::S3Config& target) {
    const std::string where = target.endpoint + "\n" + target.bucket + "\n" + target.prefix;
    return data_dir + "/migrated-to-" + sha256_hex(where).substr(0, 16) + ".log";
}

Expected<std::uint64_t> copy_item(const LocalStore& from, S3Store& to, const StoredItem& item) {
    auto bytes = from.read_item(item);
    if (!bytes) {
        return tl::unexpected(bytes.error());
    }
    if (auto written = to.write_item(item, *bytes); !written) {
        return tl::unexpected(written.error());
    }
    auto copy = to.read_item(item);
    if (!copy) {
        return tl::unexpected(copy.error());
    }
    if (sha256_hex(*copy) != sha256_hex(*bytes)) {
        return fail(ErrorCode::StorageUnavailable, "the copy differs from the original",
                    item.name());
    }
    return bytes->size();
}

}  // namespace imgline::storage
