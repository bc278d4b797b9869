#pragma once

#include "tests/support/process.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace imgline::test {

/// Starts a server process and gives the port it serves on.
using ServerStart = std::function<unsigned short(std::unique_ptr<ChildProcess>&)>;

/// Uploads `photos` in order (POST /v1/originals with `headers`) to servers made by `start`,
/// each killed with SIGKILL part-way through an upload after 1–4 were answered (seeded, so runs
/// repeat), up to `rounds` servers. Gives every upload that was acknowledged (200/201): id → the
/// bytes sent.
std::map<std::string, std::string> upload_through_kills(const ServerStart& start,
                                                        const std::string& headers,
                                                        const std::vector<std::string>& photos,
                                                        int rounds);

}  // namespace imgline::test
