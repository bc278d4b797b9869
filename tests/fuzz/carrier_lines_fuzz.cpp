// libFuzzer target for carrier list files (cdn::CarrierTable::build): the input is a list's
// text; the table built from it must find every prefix it reports holding, and looking up any
// address (the first 16 bytes, as IPv6 and IPv4) must not fail.
#include "cdn/carrier_table.h"
#include "tests/fuzz/fuzz_input.h"

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace imgline::cdn;
    const std::vector<CarrierList> lists{
        {"telecom", "telecom.txt", std::string(imgline::fuzz::as_text(data, size))},
        {"unicom", "unicom.txt", "10.0.0.0/8\n2001:db8::/32\n"}};
    std::vector<std::string> problems;
    const auto table = CarrierTable::build(lists, problems);
    if (table->prefixes() < 2) {
        std::abort();  // unicom's two prefixes are always there
    }
    if (size >= 16) {
        IpAddress v6{true, 0};
        std::memcpy(&v6.value, data, 16);
        IpAddress v4{false, v6.value & 0xffffffffu};
        const auto match = table->lookup(v6);
        if (match.carrier != table->carrier_of(v6) ||
            table->lookup(v4).carrier != table->carrier_of(v4)) {
            std::abort();
        }
    }
    const auto ten = parse_ip("10.1.2.3");
    const auto carrier = table->carrier_of(*ten);
    if (carrier != "unicom" && carrier != "telecom") {
        std::abort();
    }
    return 0;
}
