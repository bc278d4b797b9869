#include "pipeline/brand_check.h"

namespace imgline::pipeline {

Expected<BrandReport> check_brand(std::string_view bytes,
                                  const ImageInfo& info,
                                  const config::BrandConfig& brand,
                                  std::string_view role,
                                  const Deadline& deadline) {
    const config::BrandRules* rules = rules_for(brand, role);
    if (rules == nullptr) {
        return judge(BrandMeasurements{}, brand, role);
    }
    auto measured = measure_brand(bytes, info, measure_spec_for(brand, *rules), deadline);
    if (!measured) {
        return tl::unexpected(measured.error());
    }
    return judge(*measured, brand, role);
}

}  // namespace imgline::pipeline
