// The carrier table: longest-prefix match over overlapping lists, flattened into disjoint
// intervals. Checked on small hand-made lists and, against a brute-force matcher, on the real
// lists in data/carriers.
#include "cdn/carrier_table.h"

#include "tests/support/corpus.h"

#include <random>

#include <catch2/catch.hpp>

using namespace imgline;
using namespace imgline::cdn;

namespace {

IpAddress ip(std::string_view text) {
    const auto parsed = parse_ip(text);
    REQUIRE(parsed);
    return *parsed;
}

std::shared_ptr<const CarrierTable> table_of(const std::vector<CarrierList>& lists) {
    std::vector<std::string> problems;
    auto table = CarrierTable::build(lists, problems);
    INFO((problems.empty() ? "" : problems.front()));
    CHECK(problems.empty());
    return table;
}

}  // namespace

TEST_CASE("addresses parse as IPv4, IPv6 and IPv4-mapped IPv6", "[unit][carriers]") {
    CHECK_FALSE(ip("1.2.3.4").v6);
    CHECK(ip("1.2.3.4").value == 0x01020304U);
    CHECK(ip("2001:db8::1").v6);
    CHECK_FALSE(ip("::ffff:1.2.3.4").v6);
    CHECK(ip("::ffff:1.2.3.4").value == 0x01020304U);
    for (const char* bad : {"", "1.2.3", "1.2.3.256", "example.com", "1.2.3.4/8", "::g"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_ip(bad));
    }
}

TEST_CASE("lookups honour range edges and the longest prefix", "[unit][carriers]") {
    const auto table = table_of({
        {"telecom", "chinanet.txt", "10.0.0.0/8\n10.1.0.0/16\n"},
        {"unicom", "unicom.txt", "10.1.2.0/24\n# a comment\n\n192.168.0.0/30\n"},
    });
    CHECK(table->carrier_of(ip("9.255.255.255")) == "default");
    CHECK(table->carrier_of(ip("10.0.0.0")) == "telecom");
    CHECK(table->carrier_of(ip("10.1.1.255")) == "telecom");
    CHECK(table->carrier_of(ip("10.1.2.0")) == "unicom");  // nested inside telecom's /16
    CHECK(table->carrier_of(ip("10.1.2.255")) == "unicom");
    CHECK(table->carrier_of(ip("10.1.3.0")) == "telecom");  // back in the /16 after the /24
    CHECK(table->carrier_of(ip("10.255.255.255")) == "telecom");
    CHECK(table->carrier_of(ip("11.0.0.0")) == "default");
    CHECK(table->carrier_of(ip("192.168.0.3")) == "unicom");
    CHECK(table->carrier_of(ip("192.168.0.4")) == "default");

    const auto match = table->lookup(ip("10.1.2.7"));
    CHECK(match.prefix == "10.1.2.0/24");
    CHECK(match.source == "unicom.txt");
    CHECK(table->lookup(ip("10.1.9.9")).prefix == "10.1.0.0/16");
    CHECK(table->lookup(ip("8.8.8.8")).prefix.empty());
    CHECK(table->prefixes() == 4);
}

TEST_CASE("a prefix in several lists goes to the first configured, naming the others",
          "[unit][carriers]") {
    const auto table = table_of({
        {"telecom", "chinanet.txt", "1.0.0.0/24\n"},
        {"unicom", "unicom.txt", "1.0.0.0/24\n"},
        {"mobile", "cmcc.txt", "1.0.0.0/24\n1.0.0.128/25\n"},
    });
    const auto tied = table->lookup(ip("1.0.0.1"));
    CHECK(tied.carrier == "telecom");
    CHECK(tied.also == std::vector<std::string_view>{"unicom", "mobile"});
    // A longer prefix beats configuration order.
    CHECK(table->carrier_of(ip("1.0.0.200")) == "mobile");
}

TEST_CASE("IPv6 ranges, the whole address space, and host bits", "[unit][carriers]") {
    std::vector<std::string> problems;
    const auto table =
        CarrierTable::build({{"edu", "cernet6.txt", "2001:250::/30\n2001:250:1::/48\n"},
                             {"world", "all6.txt", "::/0\n"},
                             {"mobile", "cmcc.txt", "1.2.3.4/24\n0.0.0.0/0\n"}},
                            problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].starts_with("cmcc.txt:1: '1.2.3.4/24' host bits set"));
    CHECK(table->carrier_of(ip("2001:250::1")) == "edu");
    CHECK(table->carrier_of(ip("2001:253:ffff:ffff:ffff:ffff:ffff:ffff")) == "edu");
    CHECK(table->carrier_of(ip("2001:254::")) == "world");
    CHECK(table->carrier_of(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")) == "world");
    CHECK(table->carrier_of(ip("::1")) == "world");
    CHECK(table->carrier_of(ip("1.2.3.200")) == "mobile");
    CHECK(table->carrier_of(ip("255.255.255.255")) == "mobile");
}

TEST_CASE("malformed lines are reported with file and line, the rest still loads",
          "[unit][carriers]") {
    std::vector<std::string> problems;
    const auto table = CarrierTable::build(
        {{"telecom", "chinanet.txt", "1.0.0.0/24\nbanana\n1.0.1.0/33\n2.0.0.0\n\n3.0.0.0/8\n"}},
        problems);
    REQUIRE(problems.size() == 3);
    CHECK(problems[0] == "chinanet.txt:2: 'banana' not a CIDR prefix (no /length)");
    CHECK(problems[1].starts_with("chinanet.txt:3: '1.0.1.0/33' prefix length"));
    CHECK(problems[2].starts_with("chinanet.txt:4: "));
    CHECK(table->prefixes() == 2);
    CHECK(table->carrier_of(ip("3.1.2.3")) == "telecom");
}

TEST_CASE("on the real lists, every lookup equals a brute-force longest-prefix match",
          "[unit][carriers]") {
    const auto folder = test::carrier_lists_dir();
    const std::vector<std::pair<std::string, std::string>> files{
        {"telecom", "chinanet.txt"}, {"unicom", "unicom.txt"},     {"mobile", "cmcc.txt"},
        {"edu", "cernet.txt"},       {"telecom", "chinanet6.txt"}, {"unicom", "unicom6.txt"},
        {"mobile", "cmcc6.txt"},     {"edu", "cernet6.txt"}};
    std::vector<CarrierList> lists;
    for (const auto& [carrier, file] : files) {
        lists.push_back({carrier, file, test::read_bytes(folder / file)});
    }
    const auto table = table_of(lists);
    CHECK(table->prefixes() == 4164 + 3894 + 1154 + 94 + 321 + 1085 + 114 + 117);

    // Brute force: every prefix of every list, longest match, first list on ties.
    struct Entry {
        bool v6;
        Uint128 start;
        Uint128 end;
        int length;
        std::string carrier;
    };

    std::vector<Entry> entries;
    for (const auto& list : lists) {
        std::istringstream lines(list.text);
        for (std::string line; std::getline(lines, line);) {
            const auto slash = line.find('/');
            const auto address = *parse_ip(line.substr(0, slash));
            const int length = std::stoi(line.substr(slash + 1));
            const int bits = address.v6 ? 128 : 32;
            const Uint128 host =
                bits - length >= 128 ? ~Uint128{0} : ((Uint128{1} << (bits - length)) - 1);
            entries.push_back(
                {address.v6, address.value, address.value | host, length, list.carrier});
        }
    }
    auto brute = [&](const IpAddress& address) {
        std::string best = "default";
        int best_length = -1;
        for (const auto& entry : entries) {
            if (entry.v6 == address.v6 && address.value >= entry.start &&
                address.value <= entry.end && entry.length > best_length) {
                best = entry.carrier;
                best_length = entry.length;
            }
        }
        return best;
    };
    std::mt19937_64 random(20261127);
    int checked = 0;
    for (int i = 0; i < 3000; ++i) {
        // Around a random prefix's edges and inside it, so overlaps and gaps are both hit.
        const auto& entry = entries[random() % entries.size()];
        for (const Uint128 value :
             {entry.start, entry.end, entry.start - 1, entry.end + 1,
              entry.start + (random() % static_cast<std::uint64_t>(std::min<Uint128>(
                                            entry.end - entry.start + 1, Uint128{1} << 62)))}) {
            const IpAddress address{entry.v6, entry.v6 ? value : (value & 0xffffffffU)};
            CHECK(table->carrier_of(address) == brute(address));
            ++checked;
        }
    }
    CHECK(checked == 15000);
}
