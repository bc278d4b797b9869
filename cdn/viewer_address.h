#pragma once

#include "cdn/carrier_table.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace imgline::cdn {

/// A set of addresses and CIDR prefixes: the proxies whose X-Forwarded-For is believed, the
/// clients allowed to fetch images from the origin.
class AddressSet {
public:
    /// Entries that do not parse are reported in `problems` and ignored.
    explicit AddressSet(const std::vector<std::string>& entries,
                        std::vector<std::string>* problems = nullptr);

    bool contains(const IpAddress& address) const;

    /// The same for an address as text; false when it is not an address.
    bool contains(std::string_view address) const;

    bool empty() const {
        return table_->prefixes() == 0;
    }

private:
    std::shared_ptr<const CarrierTable> table_;
};

/// Who is viewing: the socket peer, unless the peer is a trusted proxy; then the right-most
/// address of X-Forwarded-For that is not itself a trusted proxy (the left-most when all are;
/// parsing stops at the first entry that is not an address, keeping what was found so far).
/// nullopt only when the peer itself is not an address. Pure.
std::optional<IpAddress> viewer_address(std::string_view peer,
                                        std::string_view forwarded_for,
                                        const AddressSet& trusted);

}  // namespace imgline::cdn
