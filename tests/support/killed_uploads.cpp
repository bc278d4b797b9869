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
        std::atomic<std::size_t> answered{0};
        // Killed once 1–4 uploads were answered, 0–40 ms into the next one: mid-write, however
        // fast the machine is.
        const std::size_t wait_for = 1 + random() % 4;
        const auto delay = std::chrono::milliseconds(random() % 40);
        std::thread killer([&] {
            const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
            while (answered < wait_for && std::chrono::steady_clock::now() < give_up) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
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
                ++answered;
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
