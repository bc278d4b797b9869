#include "cdn/viewer_address.h"

#include "common/text.h"

namespace imgline::cdn {

AddressSet::AddressSet(const std::vector<std::string>& entries,
                       std::vector<std::string>* problems) {
    std::string text;
    for (const auto& entry : entries) {
        const bool v6 = entry.find(':') != std::string::npos;
        text += entry.find('/') == std::string::npos ? entry + (v6 ? "/128" : "/32") : entry;
        text += "\n";
    }
    std::vector<std::string> found;
    table_ = CarrierTable::build({{"trusted", "carriers.trusted_proxies", text}}, found);
    if (problems != nullptr) {
        problems->insert(problems->end(), found.begin(), found.end());
    }
}

bool AddressSet::contains(const IpAddress& address) const {
    return table_->carrier_of(address) != "default";
}

bool AddressSet::contains(std::string_view address) const {
    const auto parsed = parse_ip(address);
    return parsed && contains(*parsed);
}

std::optional<IpAddress> viewer_address(std::string_view peer,
                                        std::string_view forwarded_for,
                                        const AddressSet& trusted) {
    auto viewer = parse_ip(peer);
    if (!viewer || !trusted.contains(*viewer)) {
        return viewer;
    }
    // Walk from the right: each hop was added by the proxy after it, which we trust so far.
    while (!forwarded_for.empty()) {
        const auto comma = forwarded_for.rfind(',');
        const std::string_view entry =
            trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
        forwarded_for =
            comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
        const auto hop = parse_ip(entry);
        if (!hop) {
            break;
        }
        viewer = hop;
        if (!trusted.contains(*hop)) {
            break;
        }
    }
    return viewer;
}

}  // namespace imgline::cdn
