#include "cdn/carrier_table.h"

#include "common/text.h"

#include <algorithm>
#include <arpa/inet.h>
#include <map>
#include <tuple>

namespace imgline::cdn {
namespace {

using u128 = Uint128;

// One prefix as read: its range, length, and where it came from.
struct Prefix {
    bool v6 = false;
    u128 start = 0;
    u128 end = 0;
    int length = 0;
    std::size_t list = 0;
    std::string text;
};

u128 from_bytes(const unsigned char* bytes, int count) {
    u128 value = 0;
    for (int i = 0; i < count; ++i) {
        value = (value << 8) | bytes[i];
    }
    return value;
}

u128 all_ones(int bits) {
    return bits >= 128 ? ~u128{0} : ((u128{1} << bits) - 1);
}

// "a.b.c.d/n" or "x::/n" → Prefix, or a problem.
std::optional<Prefix> parse_prefix(std::string_view line, std::string& problem) {
    const auto slash = line.find('/');
    if (slash == std::string_view::npos) {
        problem = "not a CIDR prefix (no /length)";
        return std::nullopt;
    }
    const auto address = parse_ip(line.substr(0, slash));
    const std::string_view length_text = line.substr(slash + 1);
    int length = -1;
    if (!length_text.empty() && length_text.size() <= 3 &&
        std::all_of(length_text.begin(), length_text.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
        length = std::stoi(std::string(length_text));
    }
    if (!address) {
        problem = "not an IP address";
        return std::nullopt;
    }
    const int bits = address->v6 ? 128 : 32;
    if (length < 0 || length > bits) {
        problem = "prefix length must be 0-" + std::to_string(bits);
        return std::nullopt;
    }
    Prefix prefix;
    prefix.v6 = address->v6;
    prefix.length = length;
    const u128 host_mask = all_ones(bits - length);
    prefix.start = address->value & ~host_mask & all_ones(bits);
    prefix.end = prefix.start | host_mask;
    prefix.text = std::string(line);
    if (prefix.start != address->value) {
        problem = "host bits set; used as the prefix they belong to";
    }
    return prefix;
}

}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) {
    if (text.empty() || text.size() > 45) {
        return std::nullopt;
    }
    const std::string copy(text);
    unsigned char bytes[16];
    if (inet_pton(AF_INET, copy.c_str(), bytes) == 1) {
        return IpAddress{false, from_bytes(bytes, 4)};
    }
    if (inet_pton(AF_INET6, copy.c_str(), bytes) == 1) {
        const u128 value = from_bytes(bytes, 16);
        if ((value >> 32) == 0xffff) {  // ::ffff:a.b.c.d is an IPv4 address
            return IpAddress{false, value & 0xffffffffU};
        }
        return IpAddress{true, value};
    }
    return std::nullopt;
}

// Flattens nested CIDR prefixes (any two are nested or disjoint) into disjoint intervals, each
// labelled by the innermost prefix that covers it.
class CarrierTableBuilder {
public:
    static void flatten(std::vector<Prefix>& prefixes,
                        CarrierTable& table,
                        CarrierTable::Intervals& out) {
        // Outer before inner at the same start; identical prefixes next to each other, in
        // configuration order.
        std::sort(prefixes.begin(), prefixes.end(), [](const Prefix& a, const Prefix& b) {
            return std::tie(a.start, a.length, a.list) < std::tie(b.start, b.length, b.list);
        });

        struct Open {
            u128 end;
            std::uint32_t label;
        };

        std::vector<Open> open;
        u128 cursor = 0;
        bool exhausted = false;  // cursor went past the top of the address space
        auto emit = [&](u128 from, u128 to, std::uint32_t label) {
            if (from <= to) {
                out.starts.push_back(from);
                out.ends.push_back(to);
                out.labels.push_back(label);
            }
        };
        auto close_until = [&](std::optional<u128> before) {
            while (!open.empty() && (!before || open.back().end < *before)) {
                const Open top = open.back();
                open.pop_back();
                if (!exhausted) {
                    emit(cursor, top.end, top.label);
                }
                exhausted = exhausted || top.end == ~u128{0};
                cursor = top.end + 1;
            }
        };
        for (std::size_t i = 0; i < prefixes.size();) {
            const Prefix& prefix = prefixes[i];
            CarrierTable::Label label;
            label.prefix = prefix.text;
            std::size_t j = i;
            for (; j < prefixes.size() && prefixes[j].start == prefix.start &&
                   prefixes[j].length == prefix.length;
                 ++j) {
                if (std::find(label.lists.begin(), label.lists.end(), prefixes[j].list) ==
                    label.lists.end()) {
                    label.lists.push_back(prefixes[j].list);
                }
            }
            close_until(prefix.start);
            if (!open.empty()) {
                emit(cursor, prefix.start - 1, open.back().label);
            }
            table.labels_.push_back(std::move(label));
            open.push_back({prefix.end, static_cast<std::uint32_t>(table.labels_.size() - 1)});
            cursor = prefix.start;
            exhausted = false;
            i = j;
        }
        close_until(std::nullopt);
    }
};

std::shared_ptr<const CarrierTable> CarrierTable::build(const std::vector<CarrierList>& lists,
                                                        std::vector<std::string>& problems) {
    auto table = std::make_shared<CarrierTable>();
    std::vector<Prefix> v4;
    std::vector<Prefix> v6;
    for (std::size_t index = 0; index < lists.size(); ++index) {
        const CarrierList& list = lists[index];
        table->carriers_.push_back(list.carrier);
        table->sources_.push_back(list.source);
        std::size_t line_number = 0;
        std::string_view rest = list.text;
        while (!rest.empty()) {
            const auto newline = rest.find('\n');
            const std::string_view raw = rest.substr(0, newline);
            rest =
                newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
            ++line_number;
            const std::string_view line = trim(raw.substr(0, raw.find('#')));
            if (line.empty()) {
                continue;
            }
            std::string problem;
            auto prefix = parse_prefix(line, problem);
            if (!problem.empty()) {
                problems.push_back(list.source + ":" + std::to_string(line_number) + ": '" +
                                   std::string(line.substr(0, 64)) + "' " + problem);
            }
            if (prefix) {
                prefix->list = index;
                (prefix->v6 ? v6 : v4).push_back(std::move(*prefix));
                ++table->prefixes_;
            }
        }
    }
    CarrierTableBuilder::flatten(v4, *table, table->v4_);
    CarrierTableBuilder::flatten(v6, *table, table->v6_);
    return table;
}

const CarrierTable::Label* CarrierTable::find(const IpAddress& address) const {
    const Intervals& intervals = address.v6 ? v6_ : v4_;
    const auto after =
        std::upper_bound(intervals.starts.begin(), intervals.starts.end(), address.value);
    if (after == intervals.starts.begin()) {
        return nullptr;
    }
    const auto index = static_cast<std::size_t>(after - intervals.starts.begin() - 1);
    if (address.value > intervals.ends[index]) {
        return nullptr;
    }
    return &labels_[intervals.labels[index]];
}

std::string_view CarrierTable::carrier_of(const IpAddress& address) const {
    const Label* label = find(address);
    return label == nullptr ? std::string_view("default")
                            : std::string_view(carriers_[label->lists.front()]);
}

CarrierMatch CarrierTable::lookup(const IpAddress& address) const {
    CarrierMatch match;
    const Label* label = find(address);
    if (label == nullptr) {
        return match;
    }
    match.carrier = carriers_[label->lists.front()];
    match.prefix = label->prefix;
    match.source = sources_[label->lists.front()];
    for (std::size_t i = 1; i < label->lists.size(); ++i) {
        const std::string_view other = carriers_[label->lists[i]];
        if (other != match.carrier &&
            std::find(match.also.begin(), match.also.end(), other) == match.also.end()) {
            match.also.push_back(other);
        }
    }
    return match;
}

}  // namespace imgline::cdn
