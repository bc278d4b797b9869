#include "tests/support/corpus.h"

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "pipeline/vips_runtime.h"

namespace imgline::test {

std::filesystem::path shared_dir() {
    if (const char* dir = std::getenv("IMGLINE_SHARED_DIR"); dir != nullptr && *dir != '\0') {
        return dir;
    }
    return "../shared";
}

std::string read_bytes(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw std::runtime_error("cannot read " + path.string());
    }
    std::ostringstream bytes;
    bytes << file.rdbuf();
    return bytes.str();
}

std::vector<ManifestRow> manifest(const std::string& folder) {
    std::istringstream lines(read_bytes(shared_dir() / folder / "MANIFEST.tsv"));
    std::vector<std::string> columns;
    std::vector<ManifestRow> rows;
    for (std::string line; std::getline(lines, line);) {
        std::vector<std::string> cells;
        std::istringstream fields(line);
        for (std::string cell; std::getline(fields, cell, '\t');) {
            cells.push_back(cell);
        }
        if (columns.empty()) {
            columns = cells;
            continue;
        }
        ManifestRow row;
        for (std::size_t i = 0; i < columns.size() && i < cells.size(); ++i) {
            row[columns[i]] = cells[i];
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

void ensure_vips() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (!pipeline::start_vips("imgline-tests", 2)) {
            throw std::runtime_error("libvips did not start");
        }
    });
}

}  // namespace imgline::test
