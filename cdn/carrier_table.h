#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imgline::cdn {

/// One list of prefixes and the carrier it belongs to, as read from a file.
struct CarrierList {
    std::string carrier;  // "telecom", "unicom", "mobile", "edu", ...
    std::string source;   // file name, shown in lookups and problems
    std::string text;     // one CIDR per line; blank lines and '#' comments are skipped
};

/// 128-bit unsigned, for IPv6 addresses (a GCC/Clang extension; __extension__ keeps -pedantic
/// quiet).
__extension__ typedef unsigned __int128 Uint128;

/// An IP address: IPv4 (as 32 bits) or IPv6 (128 bits). IPv4-mapped IPv6 addresses
/// (::ffff:a.b.c.d) are IPv4.
struct IpAddress {
    bool v6 = false;
    Uint128 value = 0;
};

/// "1.2.3.4", "2001:db8::1", "::ffff:1.2.3.4", or nullopt. Pure.
std::optional<IpAddress> parse_ip(std::string_view text);

/// What a lookup found: the carrier of the longest matching prefix ("default" when no list has
/// the address), that prefix and its file. When the longest match is the same prefix in several
/// lists, `carrier` is the first of them in configuration order and `also` names the others.
struct CarrierMatch {
    std::string_view carrier = "default";
    std::string_view prefix;
    std::string_view source;
    std::vector<std::string_view> also;
};

/// Carrier ranges as immutable sorted, disjoint intervals per address family, each labelled with
/// its longest-prefix match; a lookup is one binary search. Built once (from all lists at
/// once), then shared read-only between threads.
class CarrierTable {
public:
    /// Builds the table from `lists` (their order decides ties). Lines that are not a CIDR
    /// prefix are skipped and reported as "file:line: problem" in `problems`; prefixes with host
    /// bits set are used with those bits cleared, and reported.
    static std::shared_ptr<const CarrierTable> build(const std::vector<CarrierList>& lists,
                                                     std::vector<std::string>& problems);

    CarrierMatch lookup(const IpAddress& address) const;

    /// The carrier alone, without allocating: the hot path of every steered request.
    std::string_view carrier_of(const IpAddress& address) const;

    std::size_t prefixes() const {
        return prefixes_;
    }

    std::size_t intervals() const {
        return v4_.starts.size() + v6_.starts.size();
    }

private:
    // One labelled prefix: who owns it (several lists when tied) and how it is written.
    struct Label {
        std::vector<std::size_t> lists;  // indexes into carriers_/sources_, configuration order
        std::string prefix;
    };

    struct Intervals {
        std::vector<Uint128> starts;
        std::vector<Uint128> ends;
        std::vector<std::uint32_t> labels;
    };

    const Label* find(const IpAddress& address) const;

    std::vector<std::string> carriers_;
    std::vector<std::string> sources_;
    std::vector<Label> labels_;
    Intervals v4_;
    Intervals v6_;
    std::size_t prefixes_ = 0;

    friend class CarrierTableBuilder;
};

}  // namespace imgline::cdn
