#include "config/validate_config.h"

#include "common/sha256.h"
#include "common/text.h"
#include "config/units.h"

#include <algorithm>
#include <arpa/inet.h>
#include <set>
#include <string>

namespace imgline::config {
namespace {

constexpr std::uint64_t kMaxImageSide = 65535;

class Checker {
public:
    void problem(std::string key, std::string message) {
        problems_.push_back(ConfigProblem{std::move(key), std::move(message)});
    }

    void in_range(const std::string& key,
                  std::uint64_t value,
                  std::uint64_t low,
                  std::uint64_t high) {
        if (value < low || value > high) {
            problem(key, "must be between " + std::to_string(low) + " and " + std::to_string(high) +
                             ", not " + std::to_string(value));
        }
    }

    void in_range(const std::string& key, double value, double low, double high) {
        if (!(value >= low && value <= high)) {
            problem(key, "must be between " + std::to_string(low) + " and " + std::to_string(high) +
                             ", not " + std::to_string(value));
        }
    }

    void positive(const std::string& key, Milliseconds value, Milliseconds most) {
        if (value <= Milliseconds::zero() || value > most) {
            problem(key, "must be more than 0 and at most " + format_duration(most));
        }
    }

    void one_of(const std::string& key,
                const std::string& value,
                std::initializer_list<std::string_view> allowed) {
        one_of_range(key, value, allowed);
    }

    template <class Names>
    void one_of_range(const std::string& key, const std::string& value, const Names& allowed) {
        if (std::find(std::begin(allowed), std::end(allowed), value) != std::end(allowed)) {
            return;
        }
        std::string list;
        for (const auto& item : allowed) {
            list += (list.empty() ? "" : ", ") + std::string(item);
        }
        problem(key, "'" + value + "' is not one of: " + list);
    }

    void colour(const std::string& key, const std::string& value) {
        if (!parse_rgb(value)) {
            problem(key, "'" + value + "' is not a colour like #ffffff");
        }
    }

    void name(const std::string& key, const std::string& value, std::set<std::string>& seen) {
        if (!is_valid_name(value)) {
            problem(key, "'" + value + "' is not a valid name (1-64 of a-z, 0-9, '-', '_')");
        } else if (!seen.insert(value).second) {
            problem(key, "'" + value + "' is used twice");
        }
    }

    void http_url(const std::string& key, const std::string& value) {
        if (!value.starts_with("http://") && !value.starts_with("https://")) {
            problem(key, "'" + value + "' must start with http:// or https://");
        }
    }

    ConfigProblems take() {
        return std::move(problems_);
    }

private:
    ConfigProblems problems_;
};

std::string at(const std::string& array, std::size_t index, const std::string& key) {
    return array + "[" + std::to_string(index) + "]." + key;
}

void check_server(Checker& check, const ServerConfig& server) {
    if (!parse_listen(server.listen)) {
        check.problem("server.listen", "'" + server.listen + "' is not HOST:PORT or [V6]:PORT");
    }
    if (!server.public_base_url.empty()) {
        check.http_url("server.public_base_url", server.public_base_url);
    }
    check.in_range("server.io_threads", static_cast<std::uint64_t>(server.io_threads), 1, 64);
    check.in_range("server.worker_threads", static_cast<std::uint64_t>(server.worker_threads), 0,
                   256);
    check.in_range("server.queue_capacity", server.queue_capacity, 1, 100'000);
    check.in_range("server.max_connections", server.max_connections, 1, 1'000'000);
    const Milliseconds hour{3'600'000};
    check.positive("server.header_timeout", server.header_timeout, hour);
    check.positive("server.idle_timeout", server.idle_timeout, hour);
    check.positive("server.body_timeout", server.body_timeout, hour);
    check.positive("server.write_timeout", server.write_timeout, hour);
    check.positive("server.shutdown_grace", server.shutdown_grace, hour);
    check.in_range("server.retry_after_seconds", server.retry_after_seconds, 1, 3600);
    check.one_of("server.log_level", server.log_level, {"debug", "info", "warn", "error"});
}

void check_limits(Checker& check, const LimitsConfig& limits) {
    check.in_range("limits.header_bytes", limits.header_bytes, 1024, 64 * 1024);
    check.in_range("limits.upload_bytes", limits.upload_bytes, 1, 1024ULL * 1024 * 1024);
    check.in_range("limits.body_bytes", limits.body_bytes, 1, limits.upload_bytes);
    // At least one upload of the largest size must fit.
    check.in_range("limits.bodies_in_flight", limits.bodies_in_flight, limits.upload_bytes,
                   1024ULL * 1024 * 1024 * 1024);
    check.in_range("limits.max_pixels", limits.max_pixels, 1, 1'000'000'000);
    check.in_range("limits.max_side", limits.max_side, 1, kMaxImageSide);
    check.in_range("limits.max_frames", limits.max_frames, 1, 10'000);
    check.positive("limits.render_timeout", limits.render_timeout, Milliseconds{600'000});
}

bool is_bucket_name(std::string_view name) {
    if (name.size() < 3 || name.size() > 63 || name.front() == '-' || name.front() == '.' ||
        name.back() == '-' || name.back() == '.') {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    });
}

void check_s3(Checker& check, const S3Config& s3) {
    const bool http = s3.endpoint.starts_with("http://") && s3.endpoint.size() > 7;
    const bool https = s3.endpoint.starts_with("https://") && s3.endpoint.size() > 8;
    if (!http && !https) {
        check.problem("storage.s3.endpoint",
                      "must be the store's address, like https://s3.us-east-1.amazonaws.com or "
                      "http://127.0.0.1:9000");
    }
    if (!s3.ca_file.empty() && !https) {
        check.problem("storage.s3.ca_file", "is read only for an https:// endpoint");
    }
    if (!is_bucket_name(s3.bucket)) {
        check.problem("storage.s3.bucket",
                      "must be a bucket name: 3 to 63 lower-case letters, digits, '-' and '.'");
    }
    if (s3.region.empty()) {
        check.problem("storage.s3.region", "must name the region requests are signed for");
    }
    if (s3.access_key_id.empty() || s3.secret_access_key.empty()) {
        check.problem("storage.s3.access_key_id",
                      "access_key_id and secret_access_key are both needed (or "
                      "IMGLINE_STORAGE__S3__ACCESS_KEY_ID and …__SECRET_ACCESS_KEY)");
    }
    if (s3.prefix.starts_with("/") || s3.prefix.size() > 256 || !is_plain_text(s3.prefix)) {
        check.problem("storage.s3.prefix",
                      "must be plain text of at most 256 bytes, not "
                      "starting with '/'");
    }
    check.positive("storage.s3.timeout", s3.timeout, Milliseconds{600'000});
    check.in_range("storage.s3.retries", s3.retries, 0, 10);
    check.in_range("storage.s3.multipart_threshold", s3.multipart_threshold, 5ULL * 1024 * 1024,
                   5ULL * 1024 * 1024 * 1024);
    check.positive("storage.s3.consistency_ttl", s3.consistency_ttl, Milliseconds{600'000});
}

void check_storage(Checker& check, const StorageConfig& storage) {
    check.one_of("storage.kind", storage.kind, {"local", "s3"});
    if (storage.kind == "s3") {
        check_s3(check, storage.s3);
    }
    if (storage.data_dir.empty()) {
        check.problem("storage.data_dir", "must name a directory");
    }
    check.in_range("storage.memory_cache_bytes", storage.memory_cache_bytes, 0,
                   64ULL * 1024 * 1024 * 1024);
    check.in_range("storage.disk_cache_bytes", storage.disk_cache_bytes, 0,
                   16ULL * 1024 * 1024 * 1024 * 1024);
    if (storage.mezzanine_max_side != 0) {
        check.in_range("storage.mezzanine_max_side", storage.mezzanine_max_side, 256, 16384);
    }
}

void check_presets(Checker& check,
                   const std::vector<PresetConfig>& presets,
                   const LimitsConfig& limits) {
    if (presets.empty()) {
        check.problem("presets", "at least one preset is needed");
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < presets.size(); ++i) {
        const auto& preset = presets[i];
        check.name(at("presets", i, "name"), preset.name, names);
        check.in_range(at("presets", i, "width"), preset.width, 1, limits.max_side);
        check.in_range(at("presets", i, "height"), preset.height, 1, limits.max_side);
        check.colour(at("presets", i, "background"), preset.background);
        if (preset.formats.empty()) {
            check.problem(at("presets", i, "formats"), "must name at least one format");
        }
        std::set<std::string> formats;
        for (const auto& format : preset.formats) {
            check.one_of(at("presets", i, "formats"), format, {"avif", "webp", "jpeg", "png"});
            if (!formats.insert(format).second) {
                check.problem(at("presets", i, "formats"), "'" + format + "' is listed twice");
            }
        }
        check.in_range(at("presets", i, "max_bytes"), preset.max_bytes, 1024, 64ULL * 1024 * 1024);
        check.in_range(at("presets", i, "quality_min"), preset.quality_min, 1, 100);
        check.in_range(at("presets", i, "quality_max"), preset.quality_max, preset.quality_min,
                       100);
    }
    // Old names of renamed presets: valid names that no preset has now, each claimed once.
    std::set<std::string> old_names;
    for (std::size_t i = 0; i < presets.size(); ++i) {
        for (const auto& old : presets[i].replaces) {
            const std::string key = at("presets", i, "replaces");
            if (!is_valid_name(old)) {
                check.problem(key, "'" + old + "' is not a valid preset name");
            } else if (names.contains(old)) {
                check.problem(key, "'" + old + "' is the name of a preset");
            } else if (!old_names.insert(old).second) {
                check.problem(key, "'" + old + "' is replaced by two presets");
            }
        }
    }
}

void check_rules(Checker& check, const std::string& path, const BrandRules& rules) {
    if (!rules.aspect.empty() && !parse_aspect(rules.aspect)) {
        check.problem(path + ".aspect", "'" + rules.aspect + "' is not a ratio like 1:1 or 4:3");
    }
    check.in_range(path + ".aspect_tolerance", rules.aspect_tolerance, 0.0, 1.0);
    if (!rules.background.empty()) {
        check.colour(path + ".background", rules.background);
    }
    check.in_range(path + ".background_delta_e", rules.background_delta_e, 0.0, 100.0);
    check.in_range(path + ".border_match_min", rules.border_match_min, 0.0, 1.0);
    check.in_range(path + ".fill_min", rules.fill_min, 0.0, 1.0);
    check.in_range(path + ".fill_max", rules.fill_max, rules.fill_min, 1.0);
    check.in_range(path + ".centre_tolerance", rules.centre_tolerance, 0.0, 1.0);
    check.in_range(path + ".sharpness_min", rules.sharpness_min, 0.0, 1e9);
    check.in_range(path + ".lightness_min", rules.lightness_min, 0.0, 100.0);
    check.in_range(path + ".lightness_max", rules.lightness_max, rules.lightness_min, 100.0);
    check.in_range(path + ".clipped_max", rules.clipped_max, 0.0, 1.0);
    check.one_of(path + ".colour_space", rules.colour_space, {"convertible", "srgb"});
    for (const auto& name : rules.warn_only) {
        check.one_of_range(path + ".warn_only", name, kBrandRuleNames);
    }
    for (const auto& name : rules.fixes) {
        check.one_of_range(path + ".fixes", name, kBrandFixNames);
    }
    check.in_range(path + ".margin", rules.margin, 0.0, 0.4);
    for (const auto& format : rules.formats) {
        check.one_of(path + ".formats", format, {"jpeg", "png", "webp", "gif", "heif", "avif"});
    }
}

void check_brands(Checker& check, const std::vector<BrandConfig>& brands) {
    std::set<std::string> names;
    for (std::size_t i = 0; i < brands.size(); ++i) {
        const auto& brand = brands[i];
        check.name(at("brands", i, "name"), brand.name, names);
        check.colour(at("brands", i, "background"), brand.background);
        for (const auto& [role, rules] : brand.roles) {
            const std::string path = at("brands", i, "roles." + role);
            check.one_of_range(path, role, kImageRoles);
            check_rules(check, path, rules);
        }
    }
}

void check_parties(Checker& check,
                   const std::vector<PartyConfig>& parties,
                   const std::vector<BrandConfig>& brands) {
    std::set<std::string> names;
    std::set<std::string> hashes;
    for (std::size_t i = 0; i < parties.size(); ++i) {
        const auto& party = parties[i];
        check.one_of(at("parties", i, "kind"), party.kind, {"supplier", "distributor", "admin"});
        check.name(at("parties", i, "name"), party.name, names);
        if (party.key_sha256.empty()) {
            check.problem(at("parties", i, "key_sha256"), "needs at least one key hash");
        }
        for (const auto& hash : party.key_sha256) {
            if (!is_sha256_hex(hash)) {
                check.problem(at("parties", i, "key_sha256"),
                              "each entry must be 64 hex digits (sha256sum of the key)");
            } else if (!hashes.insert(lower(hash)).second) {
                // Hashes are matched ignoring case, so they are compared that way here too.
                check.problem(at("parties", i, "key_sha256"),
                              "a key is given to two parties; each key must name one party");
            }
        }
        const bool brand_known =
            party.brand.empty() || party.brand == "default" ||
            std::any_of(brands.begin(), brands.end(),
                        [&](const BrandConfig& brand) { return brand.name == party.brand; });
        if (!brand_known) {
            check.problem(at("parties", i, "brand"), "no brand is named '" + party.brand + "'");
        }
    }
}

bool is_cidr(const std::string& text) {
    const auto slash = text.find('/');
    const std::string address = text.substr(0, slash);
    unsigned char bytes[16];
    const bool v4 = inet_pton(AF_INET, address.c_str(), bytes) == 1;
    const bool v6 = !v4 && inet_pton(AF_INET6, address.c_str(), bytes) == 1;
    if (!v4 && !v6) {
        return false;
    }
    if (slash == std::string::npos) {
        return true;  // a single address
    }
    const std::string length = text.substr(slash + 1);
    return !length.empty() && length.size() <= 3 &&
           length.find_first_not_of("0123456789") == std::string::npos &&
           std::stoi(length) <= (v4 ? 32 : 128);
}

void check_addresses(Checker& check,
                     const std::string& key,
                     const std::vector<std::string>& entries) {
    for (const auto& entry : entries) {
        if (!is_cidr(entry)) {
            check.problem(key, "'" + entry + "' is not an address or CIDR prefix");
        }
    }
}

void check_carriers(Checker& check, const CarriersConfig& carriers) {
    if (!carriers.sources.empty() && carriers.data_dir.empty()) {
        check.problem("carriers.data_dir", "must be set when carriers.sources are listed");
    }
    check_addresses(check, "carriers.trusted_proxies", carriers.trusted_proxies);
    check.positive("carriers.health_interval", carriers.health_interval, Milliseconds{3'600'000});
    check.positive("carriers.health_timeout", carriers.health_timeout, Milliseconds{60'000});
    check.in_range("carriers.health_rise", carriers.health_rise, 1, 100);
    check.in_range("carriers.health_fall", carriers.health_fall, 1, 100);
    std::set<std::string> names;
    for (std::size_t i = 0; i < carriers.sources.size(); ++i) {
        const auto& source = carriers.sources[i];
        check.name(at("carriers.sources", i, "carrier"), source.carrier, names);
        if (source.carrier == "default") {
            check.problem(at("carriers.sources", i, "carrier"),
                          "'default' is the line for viewers of no listed carrier");
        }
        if (source.files.empty()) {
            check.problem(at("carriers.sources", i, "files"), "must list at least one file");
        }
    }
}

void check_edges(Checker& check,
                 const std::vector<EdgeConfig>& edges,
                 const CarriersConfig& carriers) {
    std::set<std::string> names;
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const auto& edge = edges[i];
        check.name(at("edges", i, "name"), edge.name, names);
        const auto sources = effective_carrier_sources(carriers);
        const bool carrier_known =
            edge.carrier == "default" || edge.carrier == "multiline" ||
            std::any_of(sources.begin(), sources.end(), [&](const CarrierSource& source) {
                return source.carrier == edge.carrier;
            });
        if (!carrier_known) {
            check.problem(
                at("edges", i, "carrier"),
                "'" + edge.carrier + "' is neither 'default', 'multiline' nor a carrier in use");
        }
        if (edge.url_auth != UrlAuth::None && edge.url_auth_secret.size() < 16) {
            check.problem(at("edges", i, "url_auth_secret"),
                          "must have 16 characters or more when url_auth is set");
        }
        check.positive(at("edges", i, "url_auth_ttl"), edge.url_auth_ttl,
                       Milliseconds{31'536'000'000});
        check.http_url(at("edges", i, "base_url"), edge.base_url);
        check.in_range(at("edges", i, "weight"), edge.weight, 1, 1000);
        if (!edge.health_url.empty()) {
            check.http_url(at("edges", i, "health_url"), edge.health_url);
        }
        if (!edge.purge_url.empty()) {
            check.http_url(at("edges", i, "purge_url"), edge.purge_url);
        }
        if (edge.purge_url.empty() && edge.base_url.starts_with("https://")) {
            check.problem(at("edges", i, "purge_url"),
                          "an https edge needs a purge_url the origin reaches over http");
        }
    }
}

void check_signing(Checker& check, const SigningConfig& signing) {
    std::set<std::string> ids;
    for (std::size_t i = 0; i < signing.keys.size(); ++i) {
        const std::string key = "signing.keys[" + std::to_string(i) + "]";
        const auto& entry = signing.keys[i];
        const auto colon = entry.find(':');
        if (colon == std::string::npos) {
            check.problem(key, "must be id:secret");
            continue;
        }
        check.name(key, entry.substr(0, colon), ids);
        if (entry.size() - colon - 1 < 16) {
            check.problem(key, "the secret must have 16 characters or more");
        }
    }
}

}  // namespace

bool is_valid_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || name.front() == '-' || name.front() == '_') {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

ConfigProblems validate(const Config& config) {
    Checker check;
    check_server(check, config.server);
    check_limits(check, config.limits);
    check_storage(check, config.storage);
    check_presets(check, config.presets, config.limits);
    check_brands(check, config.brands);
    check_parties(check, config.parties, config.brands);
    check_carriers(check, config.carriers);
    check_addresses(check, "server.image_clients", config.server.image_clients);
    check_edges(check, config.edges, config.carriers);
    check_signing(check, config.signing);
    check.positive("products.slot_max_age", config.products.slot_max_age, Milliseconds{86'400'000});
    return check.take();
}

}  // namespace imgline::config
