#include "tests/support/nginx_edge.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace imgline::test {
namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";

sockaddr_in socket_address(const std::string& address, unsigned short port) {
    sockaddr_in where{};
    where.sin_family = AF_INET;
    where.sin_port = htons(port);
    ::inet_pton(AF_INET, address.c_str(), &where.sin_addr);
    return where;
}

}  // namespace

unsigned short free_port(const std::string& address) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in where = socket_address(address, 0);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&where), sizeof(where)) != 0) {
        ::close(fd);
        throw std::runtime_error("no free port on " + address);
    }
    socklen_t length = sizeof(where);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&where), &length);
    ::close(fd);
    return ntohs(where.sin_port);
}

bool answers(const std::string& address, unsigned short port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in where = socket_address(address, port);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&where), sizeof(where)) == 0;
    ::close(fd);
    return ok;
}

NginxEdge::NginxEdge(std::string name_, std::string carrier_, std::string address_)
    : name(std::move(name_)),
      carrier(std::move(carrier_)),
      address(std::move(address_)),
      port(free_port(address)) {}

void NginxEdge::configure(const std::filesystem::path& folder,
                          const std::filesystem::path& config_file,
                          const std::vector<std::string>& origins,
                          const std::string& purge_from) {
    const auto dir = folder / name;
    std::vector<std::string> args{"edge-config", "--edge",     name,
                                  "--dir",       dir.string(), "--purge-from",
                                  purge_from,    "--config",   config_file.string()};
    for (const auto& origin : origins) {
        args.insert(args.end(), {"--origin", origin});
    }
    const auto made = run_command(IMGLINE_BINARY, args);
    if (made.exit_code != 0) {
        throw std::runtime_error("imgline edge-config failed: " + made.err);
    }
}

void NginxEdge::start(const std::filesystem::path& folder) {
    const auto dir = folder / name;
    // One process (no master) so stopping it stops the edge; as root, workers may write the
    // cache folder the test made.
    nginx = std::make_unique<ChildProcess>(
        kNginx, std::vector<std::string>{"-p", dir.string(), "-c", (dir / "nginx.conf").string(),
                                         "-g", "daemon off; master_process off; user root;"});
    for (int i = 0; i < 200 && !answers(address, port); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!answers(address, port)) {
        throw std::runtime_error("nginx edge " + name + " did not start: " + nginx->stderr_text());
    }
}

}  // namespace imgline::test
