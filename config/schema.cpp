#include "config/field_table.h"

// Every key imgline reads, section by section. docs/imgline.example.toml documents each one;
// tests/unit/config/example_config_test.cpp fails when a key here is missing there.
namespace imgline::config {

const FieldTable<ServerConfig>& server_fields() {
    static const auto table =
        FieldTable<ServerConfig>()
            .text("listen", &ServerConfig::listen)
            .text("public_base_url", &ServerConfig::public_base_url)
            .integer("io_threads", &ServerConfig::io_threads)
            .integer("worker_threads", &ServerConfig::worker_threads)
            .count("queue_capacity", &ServerConfig::queue_capacity)
            .count("max_connections", &ServerConfig::max_connections)
            .count("max_connections_per_address", &ServerConfig::max_connections_per_address)
            .duration("header_timeout", &ServerConfig::header_timeout)
            .duration("idle_timeout", &ServerConfig::idle_timeout)
            .duration("body_timeout", &ServerConfig::body_timeout)
            .duration("write_timeout", &ServerConfig::write_timeout)
            .duration("shutdown_grace", &ServerConfig::shutdown_grace)
            .count("retry_after_seconds", &ServerConfig::retry_after_seconds)
            .text("log_level", &ServerConfig::log_level)
            .list("image_clients", &ServerConfig::image_clients);
    return table;
}

const FieldTable<LimitsConfig>& limits_fields() {
    static const auto table = FieldTable<LimitsConfig>()
                                  .bytes("header_bytes", &LimitsConfig::header_bytes)
                                  .bytes("body_bytes", &LimitsConfig::body_bytes)
                                  .bytes("upload_bytes", &LimitsConfig::upload_bytes)
                                  .bytes("bodies_in_flight", &LimitsConfig::bodies_in_flight)
                                  .count("max_pixels", &LimitsConfig::max_pixels)
                                  .count("max_side", &LimitsConfig::max_side)
                                  .count("max_frames", &LimitsConfig::max_frames)
                                  .duration("render_timeout", &LimitsConfig::render_timeout);
    return table;
}

const FieldTable<StorageConfig>& storage_fields() {
    static const auto table =
        FieldTable<StorageConfig>()
            .text("kind", &StorageConfig::kind)
            .text("data_dir", &StorageConfig::data_dir)
            .bytes("memory_cache_bytes", &StorageConfig::memory_cache_bytes)
            .count("memory_cache_entries", &StorageConfig::memory_cache_entries)
            .bytes("disk_cache_bytes", &StorageConfig::disk_cache_bytes)
            .count("mezzanine_max_side", &StorageConfig::mezzanine_max_side)
            .boolean("prerender", &StorageConfig::prerender);
    return table;
}

const FieldTable<S3Config>& s3_fields() {
    static const auto table = FieldTable<S3Config>()
                                  .text("endpoint", &S3Config::endpoint)
                                  .text("region", &S3Config::region)
                                  .text("bucket", &S3Config::bucket)
                                  .text("prefix", &S3Config::prefix)
                                  .text("access_key_id", &S3Config::access_key_id)
                                  .text("secret_access_key", &S3Config::secret_access_key)
                                  .boolean("path_style", &S3Config::path_style)
                                  .text("ca_file", &S3Config::ca_file)
                                  .duration("timeout", &S3Config::timeout)
                                  .count("retries", &S3Config::retries)
                                  .bytes("multipart_threshold", &S3Config::multipart_threshold)
                                  .duration("consistency_ttl", &S3Config::consistency_ttl);
    return table;
}

const FieldTable<PresetConfig>& preset_fields() {
    static const auto table = FieldTable<PresetConfig>()
                                  .text("name", &PresetConfig::name)
                                  .count("width", &PresetConfig::width)
                                  .count("height", &PresetConfig::height)
                                  .choice("fit", &PresetConfig::fit, kFitModes)
                                  .choice("gravity", &PresetConfig::gravity, kCropGravities)
                                  .text("background", &PresetConfig::background)
                                  .list("formats", &PresetConfig::formats)
                                  .bytes("max_bytes", &PresetConfig::max_bytes)
                                  .count("quality_min", &PresetConfig::quality_min)
                                  .count("quality_max", &PresetConfig::quality_max)
                                  .boolean("upscale", &PresetConfig::upscale)
                                  .boolean("serve_unmet_budget", &PresetConfig::serve_unmet_budget)
                                  .boolean("brand_fixes", &PresetConfig::brand_fixes)
                                  .list("replaces", &PresetConfig::replaces);
    return table;
}

const FieldTable<BrandConfig>& brand_fields() {
    // `roles` is a table of tables, read by the loader with brand_rules_fields().
    static const auto table = FieldTable<BrandConfig>()
                                  .text("name", &BrandConfig::name)
                                  .text("background", &BrandConfig::background)
                                  .boolean("block_on_fail", &BrandConfig::block_on_fail);
    return table;
}

const FieldTable<BrandRules>& brand_rules_fields() {
    static const auto table =
        FieldTable<BrandRules>()
            .count("min_width", &BrandRules::min_width)
            .count("min_height", &BrandRules::min_height)
            .text("aspect", &BrandRules::aspect)
            .number("aspect_tolerance", &BrandRules::aspect_tolerance)
            .text("background", &BrandRules::background)
            .number("background_delta_e", &BrandRules::background_delta_e)
            .number("border_match_min", &BrandRules::border_match_min)
            .number("fill_min", &BrandRules::fill_min)
            .number("fill_max", &BrandRules::fill_max)
            .number("centre_tolerance", &BrandRules::centre_tolerance)
            .number("sharpness_min", &BrandRules::sharpness_min)
            .number("lightness_min", &BrandRules::lightness_min)
            .number("lightness_max", &BrandRules::lightness_max)
            .number("clipped_max", &BrandRules::clipped_max)
            .text("colour_space", &BrandRules::colour_space)
            .list("formats", &BrandRules::formats)
            .bytes("max_original_bytes", &BrandRules::max_original_bytes)
            .boolean("transparency_allowed", &BrandRules::transparency_allowed)
            .list("warn_only", &BrandRules::warn_only)
            .list("fixes", &BrandRules::fixes)
            .number("margin", &BrandRules::margin);
    return table;
}

const FieldTable<PartyConfig>& party_fields() {
    static const auto table = FieldTable<PartyConfig>()
                                  .text("kind", &PartyConfig::kind)
                                  .text("name", &PartyConfig::name)
                                  .list("key_sha256", &PartyConfig::key_sha256)
                                  .text("brand", &PartyConfig::brand);
    return table;
}

const FieldTable<CarriersConfig>& carriers_fields() {
    // `sources` is an array of tables, read by the loader with carrier_source_fields().
    static const auto table = FieldTable<CarriersConfig>()
                                  .text("data_dir", &CarriersConfig::data_dir)
                                  .list("trusted_proxies", &CarriersConfig::trusted_proxies)
                                  .boolean("debug_header", &CarriersConfig::debug_header)
                                  .duration("health_interval", &CarriersConfig::health_interval)
                                  .duration("health_timeout", &CarriersConfig::health_timeout)
                                  .count("health_rise", &CarriersConfig::health_rise)
                                  .count("health_fall", &CarriersConfig::health_fall);
    return table;
}

const FieldTable<CarrierSource>& carrier_source_fields() {
    static const auto table = FieldTable<CarrierSource>()
                                  .text("carrier", &CarrierSource::carrier)
                                  .list("files", &CarrierSource::files);
    return table;
}

const FieldTable<EdgeConfig>& edge_fields() {
    static const auto table = FieldTable<EdgeConfig>()
                                  .text("name", &EdgeConfig::name)
                                  .text("carrier", &EdgeConfig::carrier)
                                  .text("base_url", &EdgeConfig::base_url)
                                  .count("weight", &EdgeConfig::weight)
                                  .text("health_url", &EdgeConfig::health_url)
                                  .text("purge_url", &EdgeConfig::purge_url)
                                  .choice("url_auth", &EdgeConfig::url_auth, kUrlAuths)
                                  .text("url_auth_secret", &EdgeConfig::url_auth_secret)
                                  .duration("url_auth_ttl", &EdgeConfig::url_auth_ttl);
    return table;
}

const FieldTable<SigningConfig>& signing_fields() {
    static const auto table = FieldTable<SigningConfig>().list("keys", &SigningConfig::keys);
    return table;
}

const FieldTable<ProductsConfig>& products_fields() {
    static const auto table =
        FieldTable<ProductsConfig>()
            .duration("slot_max_age", &ProductsConfig::slot_max_age)
            .choice("slot_answer", &ProductsConfig::slot_answer, kSlotAnswers);
    return table;
}

}  // namespace imgline::config
