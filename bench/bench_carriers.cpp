// The carrier-table benchmark: load time of every carrier list (median of 5, from the files),
// and lookups per second on one core for addresses drawn from the lists (80%) and at random
// (20%), next to a plain binary search over as many sorted numbers (the floor for one lookup).
#include "cdn/carrier_table.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

using namespace imgline;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    const std::filesystem::path folder = argc > 1 ? argv[1] : "data/carriers";
    const std::vector<std::pair<std::string, std::string>> files{
        {"telecom", "chinanet.txt"}, {"telecom", "chinanet6.txt"}, {"unicom", "unicom.txt"},
        {"unicom", "unicom6.txt"},   {"mobile", "cmcc.txt"},       {"mobile", "cmcc6.txt"},
        {"edu", "cernet.txt"},       {"edu", "cernet6.txt"}};

    std::vector<double> loads;
    std::shared_ptr<const cdn::CarrierTable> table;
    std::vector<cdn::CarrierList> lists;
    for (int round = 0; round < 5; ++round) {
        const auto start = Clock::now();
        lists.clear();
        for (const auto& [carrier, file] : files) {
            std::ifstream in(folder / file, std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            lists.push_back({carrier, file, text.str()});
        }
        std::vector<std::string> problems;
        table = cdn::CarrierTable::build(lists, problems);
        loads.push_back(seconds_since(start) * 1000.0);
    }
    std::sort(loads.begin(), loads.end());

    // Addresses: 80% inside a listed IPv4 prefix, 20% anywhere.
    std::mt19937_64 random(42);
    std::vector<cdn::IpAddress> listed;
    for (const auto& list : lists) {
        std::istringstream lines(list.text);
        for (std::string line; std::getline(lines, line);) {
            if (const auto address = cdn::parse_ip(line.substr(0, line.find('/')));
                address && !address->v6) {
                listed.push_back(*address);
            }
        }
    }
    constexpr std::size_t kAddresses = 1 << 20;
    std::vector<cdn::IpAddress> addresses;
    for (std::size_t i = 0; i < kAddresses; ++i) {
        cdn::IpAddress address{false, random() & 0xffffffffU};
        if (random() % 5 != 0) {
            address = listed[random() % listed.size()];
            address.value += random() % 256;
        }
        addresses.push_back(address);
    }
    constexpr int kRounds = 20;
    std::size_t checksum = 0;
    auto start = Clock::now();
    for (int round = 0; round < kRounds; ++round) {
        for (const auto& address : addresses) {
            checksum += table->carrier_of(address).size();
        }
    }
    const double ours = kAddresses * kRounds / seconds_since(start);

    std::vector<std::uint32_t> sorted(table->intervals());
    for (auto& value : sorted) {
        value = static_cast<std::uint32_t>(random());
    }
    std::sort(sorted.begin(), sorted.end());
    start = Clock::now();
    for (int round = 0; round < kRounds; ++round) {
        for (const auto& address : addresses) {
            checksum += static_cast<std::size_t>(
                std::upper_bound(sorted.begin(), sorted.end(),
                                 static_cast<std::uint32_t>(address.value)) -
                sorted.begin());
        }
    }
    const double floor = kAddresses * kRounds / seconds_since(start);

    std::printf("| measure | imgline | reference | ratio | target |\n|---|---|---|---|---|\n");
    std::printf("| load %zu prefixes (%zu intervals), ms | %.1f | — | — | < 50 |\n",
                table->prefixes(), table->intervals(), loads[loads.size() / 2]);
    std::printf("| lookups/s, one core (M) | %.1f | %.1f (plain binary search) | %.2f | ≥ 10 |\n",
                ours / 1e6, floor / 1e6, ours / floor);
    std::fprintf(stderr, "(checksum %zu)\n", checksum);
    return 0;
}
