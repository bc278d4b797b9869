#pragma once

#include <filesystem>

namespace imgline::test {

/// A fresh, empty directory under the system temp dir, removed with everything in it on
/// destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();

    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const {
        return path_;
    }

private:
    std::filesystem::path path_;
};

}  // namespace imgline::test
