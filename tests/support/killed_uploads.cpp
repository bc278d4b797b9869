#include "tests/support/killed_uploads.h"

#include "tests/support/http_client.h"

#include <atomic>
#include <csignal>
#include <random>
#include <stdexcept>
#include <thread>

#include <boost/json.hpp>

namespace imgline::test {

std::map<std::string, std::string> upload_through_kills(const ServerStart& start,
                                                        const std::string& headers,
                                                        const std::vector<std::string>& photos,
                                                        int rounds) {
    std::map<std::string, std::string> acknowledged;
    std::mt19937 random(12345);
    std::size_t next = 0;
    for (int round = 0; round < rounds && next < photos.size(); ++round) {
        std::unique_ptr<ChildProcess> child;
        const auto port = start(child);
        std::atomic<bool> killed{false};
        const auto delay = std::chrono::milliseconds(60 + random() % 240);
        std::thread killer([&] {
            std::this_thread::sleep_for(delay);
            child->signal(SIGKILL);
            killed = true;
        });
        while (next < photos.size()) {
            try {
                const auto response = request(port, "POST", "/v1/originals", headers, photos[next]);
                if (response.result_int() == 201 || response.result_int() == 200) {
                    const auto id = boost::json::parse(response.body()).at("id").as_string();
                    acknowledged[std::string(id)] = photos[next];
                }
                ++next;
            } catch (const std::runtime_error&) {
                break;  // the server died under this request: it was never acknowledged
            }
            if (killed) {
                break;
            }
        }
        killer.join();
        child->wait(std::chrono::seconds(10));
    }
    return acknowledged;
}

}  // namespace imgline::test
