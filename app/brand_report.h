#pragma once

#include "pipeline/brand_judge.h"

#include <optional>

#include <boost/json/object.hpp>

namespace imgline::app {

/// The report as API replies, stored records and `imgline check --json` show it: brand, role,
/// verdict, blocked, each rule (verdict, measured, threshold, message, fix) and the raw
/// measurements.
boost::json::object report_json(const pipeline::BrandReport& report);

/// The product's box as report_json() stored it; nullopt when the report has none (no
/// product found, no background reference, or a record from before brand checks).
std::optional<pipeline::ShareBox> product_box_of(const boost::json::object& report);

}  // namespace imgline::app
