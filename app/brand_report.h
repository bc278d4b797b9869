#pragma once

#include "pipeline/brand_judge.h"
#include "storage/original_record.h"

#include <boost/json/object.hpp>

namespace imgline::app {

/// The report as API replies, stored records and `imgline check --json` show it: brand, role,
/// verdict, blocked, each rule (verdict, measured, threshold, message, fix) and the raw
/// measurements.
boost::json::object report_json(const pipeline::BrandReport& report);

/// The fixes the report promises renditions (the rules that did not pass whose fix the brand
/// applies) and the product's box they crop to, as the original's record keeps them.
storage::PromisedFixes promised_fixes(const pipeline::BrandReport& report);

}  // namespace imgline::app
