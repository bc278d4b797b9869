#include "tests/support/corpus.h"

#include "pipeline/vips_runtime.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace imgline::test {

std::filesystem::path data_dir() {
    return std::filesystem::path(IMGLINE_SOURCE_DIR) / "tests" / "data";
}

std::filesystem::path carrier_lists_dir() {
    return std::filesystem::path(IMGLINE_SOURCE_DIR) / "data" / "carriers";
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
    std::istringstream lines(read_bytes(data_dir() / folder / "MANIFEST.tsv"));
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

HostileExpectation hostile_expectation(const std::string& text) {
    if (text.starts_with("ACCEPT 201 (control)")) {
        return HostileExpectation::Accept;
    }
    if (text.starts_with("ACCEPT")) {
        return HostileExpectation::AcceptOrReject;
    }
    if (text.starts_with("REJECT 415") || text.starts_with("REJECT 4xx: 415/400")) {
        return HostileExpectation::Reject415;
    }
    if (text.starts_with("REJECT 422")) {
        return HostileExpectation::Reject422;
    }
    return HostileExpectation::Reject4xx;
}

bool hostile_outcome_ok(HostileExpectation expected, int status) {
    const bool accepted = status == 200 || status == 201;
    const bool refused = status == 415 || status == 422;
    switch (expected) {
        case HostileExpectation::Accept:
            return accepted;
        case HostileExpectation::AcceptOrReject:
            return accepted || refused;
        case HostileExpectation::Reject415:
            return status == 415;
        case HostileExpectation::Reject422:
            return status == 422;
        case HostileExpectation::Reject4xx:
            return refused;
    }
    return false;
}

std::string hostile_bytes(const std::string& name) {
    const auto path = data_dir() / "corpus-hostile" / name;
    if (!name.ends_with(".bz2")) {
        return read_bytes(path);
    }
    const std::string command = "bunzip2 -c '" + path.string() + "'";
    std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), &pclose);
    if (!pipe) {
        throw std::runtime_error("cannot run bunzip2");
    }
    std::string out;
    char chunk[65536];
    while (const auto got = std::fread(chunk, 1, sizeof(chunk), pipe.get())) {
        out.append(chunk, got);
    }
    return out;
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
