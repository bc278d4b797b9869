#pragma once

#include "config/choice.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

/// imgline's configuration: plain structs with documented defaults. `builtin_config()` is what
/// runs with no file; `load_config()` layers a TOML file and IMGLINE_* variables on top of it;
/// `validate()` reports every problem at once. docs/imgline.example.toml documents each key
/// with the same words as here.
namespace imgline::config {

using Milliseconds = std::chrono::milliseconds;

// Settings that are enumerations are types once loaded; the loader refuses any other text
// (config/schema.cpp), and each is written back with its name.

/// presets.fit
enum class FitMode { Fit, Fill, Pad };
inline constexpr Choice<FitMode> kFitModes[] = {
    {FitMode::Fit, "fit"}, {FitMode::Fill, "fill"}, {FitMode::Pad, "pad"}};

/// presets.gravity
enum class CropGravity { Centre, Attention };
inline constexpr Choice<CropGravity> kCropGravities[] = {{CropGravity::Centre, "centre"},
                                                         {CropGravity::Attention, "attention"}};

/// edges.url_auth
enum class UrlAuth { None, AlibabaA, NginxSecureLink };
inline constexpr Choice<UrlAuth> kUrlAuths[] = {{UrlAuth::None, ""},
                                                {UrlAuth::AlibabaA, "alibaba-a"},
                                                {UrlAuth::NginxSecureLink, "nginx-secure-link"}};

/// [server] — the HTTP listener, threads and connection-level limits.
struct ServerConfig {
    /// Address and port to listen on, "HOST:PORT" or "[V6]:PORT". Port 0 picks a free port.
    /// Also --listen and IMGLINE_LISTEN.
    std::string listen = "0.0.0.0:8080";
    /// Base URL used in links the server hands out (upload replies, embeds). Empty: built from
    /// the request's Host header as http://HOST.
    std::string public_base_url;
    /// Threads that read and write HTTP. 1 is enough for thousands of connections.
    int io_threads = 1;
    /// Threads for CPU work (image decoding, rendering). 0: one per CPU core.
    int worker_threads = 0;
    /// Jobs that may wait for a worker; when full, new work gets 503 with Retry-After.
    std::uint64_t queue_capacity = 64;
    /// Open connections at most. At the cap, the connection idle the longest is closed to make
    /// room; when none is idle, a new one may only ask /healthz or /readyz (a few are kept for
    /// that), anything else is answered 503.
    std::uint64_t max_connections = 1024;
    /// Open connections from one address at most (carriers.trusted_proxies are exempt); one
    /// more is answered 503 and closed. 0: no per-address limit.
    std::uint64_t max_connections_per_address = 64;
    /// Time a client has to send a complete request header, from its first byte.
    Milliseconds header_timeout{10'000};
    /// Time a keep-alive connection may sit idle between requests before it is closed.
    Milliseconds idle_timeout{30'000};
    /// Time a client has to send a request body.
    Milliseconds body_timeout{60'000};
    /// Time a client has to take a response.
    Milliseconds write_timeout{60'000};
    /// On SIGTERM/SIGINT: how long in-flight requests may take to finish before the
    /// server exits anyway.
    Milliseconds shutdown_grace{30'000};
    /// Seconds sent in Retry-After with a 503 when the server is overloaded.
    std::uint64_t retry_after_seconds = 1;
    /// Log level: debug, info, warn or error.
    std::string log_level = "info";
    /// Addresses or CIDR prefixes allowed to fetch images (/i/, /t/): the edges and any proxy
    /// in front of the origin. Empty: anyone. Set it when edges check signed URLs, or the
    /// signatures can be bypassed by asking the origin directly.
    std::vector<std::string> image_clients;
};

/// [limits] — everything a client controls has a bound here.
struct LimitsConfig {
    /// Bytes of request line plus headers; more gets 431.
    std::uint64_t header_bytes = 8 * 1024;
    /// Body bytes for routes that take no upload (JSON APIs); more gets 413.
    std::uint64_t body_bytes = 64 * 1024;
    /// Body bytes for image uploads; more gets 413 before the body is read.
    std::uint64_t upload_bytes = 25 * 1024 * 1024;
    /// Body bytes all connections together may be sending at once (each request reserves its
    /// Content-Length, or its route's limit when chunked, from its header); past it, 503 with
    /// Retry-After before any body byte is read.
    std::uint64_t bodies_in_flight = 256 * 1024 * 1024;
    /// Pixels per image, animation frames counted; more gets 422 too_many_pixels.
    std::uint64_t max_pixels = 50'000'000;
    /// Pixels on the longest side of an image.
    std::uint64_t max_side = 16384;
    /// Frames in an animation.
    std::uint64_t max_frames = 100;
    /// Time one render may take before it is cancelled (503 timeout).
    Milliseconds render_timeout{10'000};
};

/// [storage.s3] — an S3-compatible object store holding the originals (storage.kind = "s3").
struct S3Config {
    /// Where the store answers: "https://s3.us-east-1.amazonaws.com", "http://10.0.0.5:9000".
    /// https:// is checked against the system's certificate authorities (and ca_file).
    std::string endpoint;
    /// The region requests are signed for ("us-east-1", "oss-cn-hangzhou", "ap-shanghai").
    std::string region = "us-east-1";
    std::string bucket;
    /// Put before every key ("imgline/"), so one bucket can hold other things too.
    std::string prefix;
    std::string access_key_id;
    /// Secret: never printed (--print-config masks it). Also
    /// IMGLINE_STORAGE__S3__SECRET_ACCESS_KEY.
    std::string secret_access_key;
    /// true: http://endpoint/bucket/key; false: http://bucket.endpoint/key (virtual-hosted).
    bool path_style = true;
    /// A PEM file of certificate authorities to trust for an https:// endpoint besides the
    /// system's (a private CA, as Ceph RGW or MinIO often use). Empty: the system's only.
    std::string ca_file;
    /// Each request to the store, from connecting to the last byte of the answer.
    Milliseconds timeout{10'000};
    /// Tries after the first for a request that timed out or got a 5xx (with back-off).
    std::uint64_t retries = 3;
    /// Originals larger than this are uploaded in parts of this size (multipart upload).
    std::uint64_t multipart_threshold = 8ULL * 1024 * 1024;
    /// How long a delete made through another origin may go unseen here (tombstones are
    /// looked up again when older than this).
    Milliseconds consistency_ttl{5'000};
};

/// [storage] — where originals and cached renditions live.
struct StorageConfig {
    /// "local": a directory on this machine; "s3": an S3-compatible object store ([storage.s3]),
    /// with data_dir keeping only this origin's caches.
    std::string kind = "local";
    /// The directory for kind = "local". Also --data and IMGLINE_DATA_DIR.
    std::string data_dir = "./data";
    /// Rendered images kept in memory, in bytes (least recently used go first).
    std::uint64_t memory_cache_bytes = 256ULL * 1024 * 1024;
    /// Rendered images kept in memory at most, counted (each holds a file descriptor). 0: one
    /// per 64 KiB of memory_cache_bytes, or what the descriptor budget leaves after connections
    /// if less (see `imgline serve`).
    std::uint64_t memory_cache_entries = 0;
    /// Rendered images kept on disk under <data_dir>/cache, in bytes.
    std::uint64_t disk_cache_bytes = 2ULL * 1024 * 1024 * 1024;
    /// Long side, in pixels, of the larger mezzanine kept for each larger original (the other is
    /// half as large): upright sRGB copies made at upload, from which later renders start
    /// instead of decoding the original again. 0: no mezzanines.
    std::uint64_t mezzanine_max_side = 2400;
    /// After an upload, render every preset in each of its formats in the background (one
    /// low-priority thread), so the first storefront view is a cache hit.
    bool prerender = true;
    S3Config s3;
};

/// [[presets]] — a named rendition: size, geometry, formats and byte budget.
struct PresetConfig {
    /// Name used in URLs: /i/{id}/{name}. Lower-case letters, digits, '-' and '_'.
    std::string name;
    /// Box to render into, in pixels (1..16384).
    std::uint64_t width = 800;
    std::uint64_t height = 800;
    /// "fit" (inside the box), "fill" (cover and crop) or "pad" (fit, then pad to the box).
    FitMode fit = FitMode::Fit;
    /// For fill: "centre" or "attention" (crop to the most interesting part).
    CropGravity gravity = CropGravity::Centre;
    /// Background for pad and for flattening transparency, "#rrggbb".
    std::string background = "#ffffff";
    /// Formats this preset may be served in, in order of preference when the client accepts
    /// several: any of "avif", "webp", "jpeg", "png".
    std::vector<std::string> formats = {"webp", "jpeg"};
    /// Byte budget of one rendition.
    std::uint64_t max_bytes = 200 * 1024;
    /// Quality range the budget search may use (1..100).
    std::uint64_t quality_min = 50;
    std::uint64_t quality_max = 90;
    /// Allow rendering larger than the original.
    bool upscale = false;
    /// When even quality_min does not fit: true serves the smallest result with
    /// X-Imgline-Budget: unmet; false answers 422.
    bool serve_unmet_budget = true;
    /// Apply the owner's brand to this preset: the fixes its rules list for the original's role
    /// (pad to aspect, trim and re-centre, flatten) and, for fit = "pad", the brand background.
    bool brand_fixes = false;
    /// Names this preset had before (renamed in the configuration): URLs with them are
    /// redirected to this preset's.
    std::vector<std::string> replaces;
};

/// The rules one image role (main, detail, size_chart, ad) must meet in a brand.
struct BrandRules {
    /// Smallest acceptable original, pixels. 0: no minimum.
    std::uint64_t min_width = 0;
    std::uint64_t min_height = 0;
    /// Required aspect ratio "W:H" (e.g. "1:1"); empty: any.
    std::string aspect;
    /// Allowed relative deviation from `aspect` (0.02 = 2%).
    double aspect_tolerance = 0.02;
    /// Required background colour "#rrggbb"; empty: not checked.
    std::string background;
    /// Largest colour distance (CIELAB delta E) that still counts as background.
    double background_delta_e = 6.0;
    /// Share of border pixels that must match the background (0..1).
    double border_match_min = 0.9;
    /// Share of the frame the product should fill (0..1).
    double fill_min = 0.0;
    double fill_max = 1.0;
    /// Largest offset of the product's centre from the image centre, as a share of the side.
    double centre_tolerance = 1.0;
    /// Smallest sharpness (variance of the Laplacian at 1024 px on the long side). 0: not
    /// checked.
    double sharpness_min = 0.0;
    /// Mean lightness (CIELAB L*, 0..100) the product should have.
    double lightness_min = 0.0;
    double lightness_max = 100.0;
    /// Largest share of the product's pixels that may be blown-out highlights. 1: not checked.
    double clipped_max = 1.0;
    /// "convertible": any colour space imgline converts to sRGB passes; "srgb": only sRGB
    /// originals pass.
    std::string colour_space = "convertible";
    /// Input formats accepted for this role; empty: any supported format.
    std::vector<std::string> formats;
    /// Largest original in bytes. 0: only limits.upload_bytes applies.
    std::uint64_t max_original_bytes = 0;
    /// Whether transparent originals are acceptable.
    bool transparency_allowed = true;
    /// Rules that only warn even when the brand blocks on failures (see kBrandRuleNames).
    std::vector<std::string> warn_only;
    /// Fixes applied to renditions of presets with brand_fixes: "pad_aspect", "trim",
    /// "flatten". Conversion to sRGB is always applied.
    std::vector<std::string> fixes;
    /// With the "trim" fix: the space left around the product, as a share of each side.
    double margin = 0.05;
};

/// The roles an image can have in a listing; brands set rules per role.
inline constexpr const char* kImageRoles[] = {"main", "detail", "size_chart", "ad", "other"};

/// The names of the brand rules, as reports and `warn_only` spell them.
inline constexpr const char* kBrandRuleNames[] = {
    "min_size",  "aspect",     "background",   "fill",   "centre",         "sharpness",
    "lightness", "highlights", "colour_space", "format", "original_bytes", "transparency"};

/// The fixes a brand may apply to renditions.
inline constexpr const char* kBrandFixNames[] = {"pad_aspect", "trim", "flatten"};

/// [[brands]] — a brand's style, checked on every upload of its parties.
struct BrandConfig {
    std::string name;
    /// The brand background, "#rrggbb"; `main` renditions are padded onto it.
    std::string background = "#ffffff";
    /// true: an upload failing a rule is refused (422 with the report); false: report only.
    bool block_on_fail = false;
    /// Rules per role: main, detail, size_chart, ad, other.
    std::map<std::string, BrandRules> roles;
};

/// [[parties]] — who may upload: suppliers, distributors and admins, with their API keys.
struct PartyConfig {
    /// "supplier", "distributor" or "admin".
    std::string kind;
    /// Unique name, shown as the owner of its originals.
    std::string name;
    /// SHA-256 (hex) of each API key; several allow rotation. IMGLINE_PARTIES gives plain
    /// keys, which are hashed when loaded.
    std::vector<std::string> key_sha256;
    /// Brand whose rules its uploads are checked against; empty: the built-in default brand.
    std::string brand;
};

/// [[carriers.sources]] — one carrier's IP range files.
struct CarrierSource {
    /// "telecom", "unicom", "mobile", "edu" or any other name an operator adds.
    std::string carrier;
    /// Files of one CIDR per line, relative to carriers.data_dir.
    std::vector<std::string> files;
};

/// [carriers] — which carrier line each viewer is on, and how viewers are sent to edges.
struct CarriersConfig {
    /// Folder holding the range files. Empty: no carrier lookup (every viewer is "default");
    /// the command line fills it with the shipped lists (cli::bundled_carrier_lists) first.
    /// Reloaded on SIGHUP and POST /v1/admin/reload.
    std::string data_dir;
    /// Carrier lists; none listed (with a data_dir): telecom = chinanet, unicom = unicom,
    /// mobile = cmcc, edu = cernet (each with its IPv6 file), as in data/carriers.
    std::vector<CarrierSource> sources;
    /// Proxies (CIDR prefixes) whose X-Forwarded-For is believed: the viewer is then the
    /// right-most address in it that is not itself a trusted proxy. Empty: the socket peer.
    std::vector<std::string> trusted_proxies;
    /// Add X-Imgline-Edge (edge, carrier, reason) to steering answers, for debugging.
    bool debug_header = false;
    /// How often each edge's health_url is polled, and how long one poll may take.
    Milliseconds health_interval{5'000};
    Milliseconds health_timeout{2'000};
    /// Polls in a row that bring a down edge back (rise) or take an up edge out (fall).
    std::uint64_t health_rise = 2;
    std::uint64_t health_fall = 3;
};

/// The carrier lists in effect: the configured sources, or the standard four when a data_dir
/// is set without sources.
std::vector<CarrierSource> effective_carrier_sources(const CarriersConfig& carriers);

/// [[edges]] — a CDN edge that pulls from this origin.
struct EdgeConfig {
    std::string name;
    /// Carrier it serves ("telecom", "unicom", "mobile", ...), "multiline" (a BGP multi-line
    /// edge, good for every carrier) or "default".
    std::string carrier = "default";
    /// Where viewers reach it, e.g. "https://img-ct.example.com".
    std::string base_url;
    /// Share of its carrier's viewers, relative to the carrier's other edges (1..1000).
    std::uint64_t weight = 100;
    /// URL the origin polls to know the edge is up; empty: assumed up.
    std::string health_url;
    /// Where the origin sends exact-key purges: GET <purge_url><path>. Empty: base_url +
    /// "/purge" when base_url is http://; an https edge needs one (the origin speaks plain
    /// HTTP to edges, over a private network).
    std::string purge_url;
    /// URLs to this edge carry an expiring signature: "" (none), "alibaba-a" (Alibaba Cloud CDN
    /// type A auth_key) or "nginx-secure-link" (nginx secure_link_md5, see edge-config).
    UrlAuth url_auth = UrlAuth::None;
    /// The secret shared with the edge for url_auth (16 characters or more).
    std::string url_auth_secret;
    /// How long a signed URL stays valid.
    Milliseconds url_auth_ttl{3'600'000};
};

/// [signing] — keys for signed ad-hoc transforms (/t/...). No key: the route is off.
struct SigningConfig {
    /// "id:secret" entries; the id travels in URLs, the secret never does. Several keys let
    /// one be rotated out while URLs signed with it still work. Secrets: 16 characters or more.
    /// Also IMGLINE_SIGNING__KEYS=id:secret,id2:secret2.
    std::vector<std::string> keys;
};

/// products.slot_answer
enum class SlotAnswer { Bytes, Redirect };
inline constexpr Choice<SlotAnswer> kSlotAnswers[] = {{SlotAnswer::Bytes, "bytes"},
                                                      {SlotAnswer::Redirect, "redirect"}};

/// [products] — slot URLs (/p/{owner}/{sku}/{slot}/{preset}), which show whatever original a
/// product's slot points at now (docs/http-api.md, "Products and slots").
struct ProductsConfig {
    /// How long an edge or a browser may show a slot URL's answer without asking again: the
    /// longest an old photo can stay on an edge after its slot changed when the purge is lost.
    /// Asking again costs a 304 while the slot is unchanged.
    Milliseconds slot_max_age{60'000};
    /// "bytes": a slot URL answers with the image itself (one request for the viewer);
    /// "redirect": with a 302 to the immutable /i/ URL (two requests; see
    /// docs/carriers-and-edges.md for what each costs through an nginx edge).
    SlotAnswer slot_answer = SlotAnswer::Bytes;
};

struct Config {
    ServerConfig server;
    LimitsConfig limits;
    StorageConfig storage;
    std::vector<PresetConfig> presets;
    std::vector<BrandConfig> brands;
    std::vector<PartyConfig> parties;
    CarriersConfig carriers;
    std::vector<EdgeConfig> edges;
    SigningConfig signing;
    ProductsConfig products;
};

/// The configuration used when no file is given: local storage under ./data, port 8080, the
/// built-in presets (thumb, list, main, detail) and the built-in default brand.
Config builtin_config();

/// The built-in brand named "default": what a marketplace expects of a main product photo
/// (white background, 1:1 within 2%, at least 800×800, centred, sharp, sRGB).
BrandConfig builtin_default_brand();

/// The brand a party's uploads are checked against: the one named `name` (an empty name means
/// "default"); "default" is the built-in brand unless the config defines its own. nullptr for
/// an unknown name (validate() refuses a config where a party names one).
const BrandConfig* find_brand(const Config& config, std::string_view name);

/// The preset named `name`, or nullptr.
const PresetConfig* find_preset(const Config& config, std::string_view name);

}  // namespace imgline::config
