# Third-party packages, all from Debian 12 (see scripts/install-deps and docs/building.md).
# Boost 1.81 is found in CONFIG mode: CMake 3.25's FindBoost module warns on 1.81.
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS json url)
find_package(tl-expected REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(prometheus-cpp CONFIG REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(VIPS REQUIRED IMPORTED_TARGET vips-cpp>=8.14)
pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
