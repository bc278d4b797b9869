#include "cdn/dns_lines.h"

#include "cdn/edge_choice.h"

#include <algorithm>
#include <map>

namespace imgline::cdn {
namespace {

// The host of a base URL ("https://img-ct.example.com:8443/x" → "img-ct.example.com").
std::string host_of(const std::string& url) {
    std::string_view rest = url;
    if (const auto scheme = rest.find("://"); scheme != std::string_view::npos) {
        rest.remove_prefix(scheme + 3);
    }
    rest = rest.substr(0, rest.find('/'));
    if (rest.starts_with('[')) {
        return std::string(rest.substr(1, rest.find(']') - 1));
    }
    return std::string(rest.substr(0, rest.find(':')));
}

DnsLineRecord record_for(const config::EdgeConfig& edge,
                         const std::string& carrier,
                         SteerReason reason) {
    DnsLineRecord record;
    record.line = dns_line_name(carrier);
    record.carrier = carrier;
    record.target = host_of(edge.base_url);
    const auto address = parse_ip(record.target);
    record.type = !address ? "CNAME" : address->v6 ? "AAAA" : "A";
    if (record.type == "CNAME") {
        record.target += ".";
    }
    record.weight = edge.weight;
    record.edge = edge.name;
    record.reason = std::string(reason_name(reason));
    return record;
}

// "img.example.com" → zone "example.com", label "img": a CNAME may not sit at a zone's apex,
// so the record lives in the parent zone.
std::string zone_of(const std::string& name) {
    const auto dot = name.find('.');
    return dot == std::string::npos ? name : name.substr(dot + 1);
}

std::string label_of(const std::string& name) {
    return name.substr(0, name.find('.'));
}

}  // namespace

std::string dns_line_name(std::string_view carrier) {
    static const std::map<std::string, std::string, std::less<>> kLines{{"default", "默认"},
                                                                        {"telecom", "电信"},
                                                                        {"unicom", "联通"},
                                                                        {"mobile", "移动"},
                                                                        {"edu", "教育网"}};
    const auto found = kLines.find(carrier);
    return found != kLines.end() ? found->second : std::string(carrier);
}

std::vector<DnsLineRecord> dns_line_records(const std::vector<config::EdgeConfig>& edges,
                                            const std::vector<std::string>& carriers) {
    std::vector<DnsLineRecord> records;
    auto of_line = [&](std::string_view line) {
        std::vector<const config::EdgeConfig*> found;
        for (const auto& edge : edges) {
            if (edge.carrier == line) {
                found.push_back(&edge);
            }
        }
        return found;
    };
    std::vector<std::string> lines = carriers;
    lines.push_back("default");
    for (const auto& carrier : lines) {
        const bool on_default = carrier == "default";
        std::vector<std::pair<std::string_view, SteerReason>> order;
        if (!on_default) {
            order.emplace_back(carrier, SteerReason::CarrierMatch);
        }
        if (on_default) {
            order.emplace_back("default", SteerReason::DefaultLine);
        }
        order.emplace_back("multiline", SteerReason::MultilineFallback);
        if (!on_default) {
            order.emplace_back("default", SteerReason::DefaultLine);
        }
        for (const auto& [line, reason] : order) {
            const auto chosen = of_line(line);
            if (chosen.empty()) {
                continue;
            }
            for (const auto* edge : chosen) {
                records.push_back(record_for(*edge, carrier, reason));
            }
            break;
        }
    }
    return records;
}

std::string bind_views(const std::string& name,
                       const std::vector<DnsLineRecord>& records,
                       const std::vector<CarrierList>& lists,
                       const std::string& zone_dir) {
    std::string text = "// Line-aware DNS for " + name + ", written by `imgline dns-lines`.\n";
    std::vector<std::string> carriers;
    for (const auto& record : records) {
        if (record.carrier != "default" &&
            std::find(carriers.begin(), carriers.end(), record.carrier) == carriers.end()) {
            carriers.push_back(record.carrier);
        }
    }
    for (const auto& carrier : carriers) {
        text += "\nacl \"imgline-" + carrier + "\" {\n";
        for (const auto& list : lists) {
            if (list.carrier != carrier) {
                continue;
            }
            std::string_view rest = list.text;
            while (!rest.empty()) {
                const auto newline = rest.find('\n');
                const std::string_view line = rest.substr(0, newline);
                rest = newline == std::string_view::npos ? std::string_view{}
                                                         : rest.substr(newline + 1);
                if (!line.empty() && line.front() != '#') {
                    text += "    " + std::string(line) + ";\n";
                }
            }
        }
        text += "};\n";
    }
    auto view = [&](const std::string& carrier, const std::string& match) {
        text += "\nview \"" + dns_line_name(carrier) + "\" {  // " + carrier + "\n";
        text += "    match-clients { " + match + "; };\n";
        text += "    zone \"" + zone_of(name) + "\" {\n        type master;\n        file \"" +
                zone_dir + "/" + zone_of(name) + "." + carrier + ".zone\";\n    };\n};\n";
    };
    for (const auto& carrier : carriers) {
        view(carrier, "\"imgline-" + carrier + "\"");
    }
    view("default", "any");
    return text;
}

std::string bind_zone(const std::string& name,
                      const std::string& carrier,
                      const std::vector<DnsLineRecord>& records) {
    const std::string zone = zone_of(name);
    std::string text = "; " + zone + " on the " + dns_line_name(carrier) + " (" + carrier +
                       ") line, written by `imgline dns-lines`; add the zone's other records.\n";
    text += "$ORIGIN " + zone + ".\n$TTL 300\n";
    text += "@ IN SOA ns1." + zone + ". hostmaster." + zone + ". ( 1 3600 600 604800 300 )\n";
    text += "@ IN NS ns1." + zone + ".\n";
    for (const auto& record : records) {
        if (record.carrier == carrier) {
            text += label_of(name) + " IN " + record.type + " " + record.target + "  ; edge " +
                    record.edge + ", " + record.reason + "\n";
        }
    }
    return text;
}

}  // namespace imgline::cdn
