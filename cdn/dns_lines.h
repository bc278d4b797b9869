#pragma once

#include "cdn/carrier_table.h"
#include "config/config.h"

#include <string>
#include <vector>

namespace imgline::cdn {

/// One record of line-aware DNS: on `line` (默认, 电信, 联通, 移动, 教育网 or the carrier's own
/// name), `name` resolves to `target` (an edge host: CNAME, or A/AAAA for an address).
struct DnsLineRecord {
    std::string line;
    std::string carrier;  // "default", "telecom", ...
    std::string type;     // CNAME, A, AAAA
    std::string target;
    std::uint64_t weight = 100;
    std::string edge;
    std::string reason;  // carrier-match, multiline-fallback, default-line
};

/// The DNS line name operators type into line-aware DNS consoles for a carrier.
std::string dns_line_name(std::string_view carrier);

/// The records for every carrier in `carriers` and the default line, each pointing at that
/// line's edges (the carrier's own, else multiline edges, else default edges), the same
/// preference order the origin's steering uses. Lines with no edge at all are left out. Pure.
std::vector<DnsLineRecord> dns_line_records(const std::vector<config::EdgeConfig>& edges,
                                            const std::vector<std::string>& carriers);

/// A BIND configuration fragment: one `acl` per carrier (its prefixes from `lists`), one `view`
/// per line matching it (the default view last, matching any), each serving the parent zone of
/// `name` (a CNAME cannot sit at a zone apex) from `<zone>.<carrier>.zone` in `zone_dir`. Pure.
std::string bind_views(const std::string& name,
                       const std::vector<DnsLineRecord>& records,
                       const std::vector<CarrierList>& lists,
                       const std::string& zone_dir);

/// The zone file of `name`'s parent zone for one line: SOA, NS, then `name`'s records. Pure.
std::string bind_zone(const std::string& name,
                      const std::string& carrier,
                      const std::vector<DnsLineRecord>& records);

}  // namespace imgline::cdn
