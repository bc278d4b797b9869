#include "storage/s3/s3_client.h"

#include "common/sha256.h"
#include "common/unix_time.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include <openssl/evp.h>

namespace imgline::storage::s3 {
namespace {

constexpr auto kFirstBackoff = std::chrono::milliseconds(100);
constexpr auto kLongestBackoff = std::chrono::milliseconds(2000);

// An MD5, as Content-MD5 sends it (base64) and as an ETag gives it back (hex).
struct Md5 {
    std::string base64;
    std::string hex;
};

Md5 md5_of(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_md5(), nullptr);
    unsigned char encoded[64];
    const int written = EVP_EncodeBlock(encoded, digest, static_cast<int>(length));
    return {std::string(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(written)),
            hex_lower({reinterpret_cast<const char*>(digest), length})};
}

std::string unquoted(std::string text) {
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
        return text.substr(1, text.size() - 2);
    }
    return text;
}

bool worth_retrying(int status) {
    return status >= 500 || status == 429;
}

// A wait before try `attempt` (1, 2, …): doubling from kFirstBackoff, capped, with full jitter
// so that origins failing together do not come back together.
std::chrono::milliseconds backoff(int attempt) {
    thread_local std::mt19937 random{std::random_device{}()};
    const auto ceiling =
        std::min<std::chrono::milliseconds>(kLongestBackoff, kFirstBackoff * (1 << (attempt - 1)));
    std::uniform_int_distribution<long> pick(ceiling.count() / 2, ceiling.count());
    return std::chrono::milliseconds(pick(random));
}

std::string decode_entities(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '&') {
            out += text[i];
            continue;
        }
        static constexpr std::pair<std::string_view, char> kEntities[] = {
            {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
        bool decoded = false;
        for (const auto& [entity, c] : kEntities) {
            if (text.substr(i, entity.size()) == entity) {
                out += c;
                i += entity.size() - 1;
                decoded = true;
                break;
            }
        }
        if (!decoded) {
            out += '&';
        }
    }
    return out;
}

}  // namespace

std::vector<std::string> xml_values(std::string_view xml, std::string_view name) {
    std::vector<std::string> values;
    const std::string open = "<" + std::string(name) + ">";
    const std::string close = "</" + std::string(name) + ">";
    for (std::size_t at = xml.find(open); at != std::string_view::npos; at = xml.find(open, at)) {
        const std::size_t start = at + open.size();
        const std::size_t end = xml.find(close, start);
        if (end == std::string_view::npos) {
            break;
        }
        values.push_back(decode_entities(xml.substr(start, end - start)));
        at = end + close.size();
    }
    return values;
}

S3Client::S3Client(config::S3Config settings, ObjectHttp http, StoreObserver observe)
    : settings_(std::move(settings)), http_(std::move(http)), observe_(std::move(observe)) {
    credentials_ = {settings_.access_key_id, settings_.secret_access_key, settings_.region};
    tls_ = settings_.endpoint.starts_with("https://");
    std::string authority = settings_.endpoint.substr(settings_.endpoint.find("://") + 3);
    authority = authority.substr(0, authority.find('/'));
    const auto colon = authority.rfind(':');
    const bool has_port =
        colon != std::string::npos && authority.find(']', colon) == std::string::npos;
    std::string host_name = has_port ? authority.substr(0, colon) : authority;
    port_ = has_port ? authority.substr(colon + 1) : tls_ ? "443" : "80";
    if (!settings_.path_style) {
        host_name = settings_.bucket + "." + host_name;
        authority = settings_.bucket + "." + authority;
    }
    host_ = authority;
    address_ = host_name.starts_with("[") ? host_name.substr(1, host_name.size() - 2) : host_name;
}

Expected<ObjectResponse> S3Client::send_once(const Call& call) const {
    std::string path = settings_.path_style ? "/" + settings_.bucket : std::string();
    if (!call.key.empty() || !settings_.path_style) {
        path += "/" + (call.key.empty() ? std::string() : settings_.prefix + call.key);
    }
    SignRequest sign{call.method, host_, path, call.query, call.headers, sha256_hex(call.body)};
    const Signature signature =
        sign_v4(sign, credentials_, amz_date_of(static_cast<long long>(unix_seconds_now())));
    ObjectRequest request;
    request.method = call.method;
    request.host = host_;
    request.address = address_;
    request.port = port_;
    request.tls = tls_;
    request.target = uri_encode(path, true);
    if (const auto query = canonical_query(call.query); !query.empty()) {
        request.target += "?" + query;
    }
    request.headers = call.headers;
    request.headers.emplace_back("x-amz-date", signature.amz_date);
    request.headers.emplace_back("x-amz-content-sha256", sign.payload_sha256);
    request.headers.emplace_back("Authorization", signature.authorization);
    request.body = call.body;
    request.timeout = settings_.timeout;
    return http_(request);
}

Expected<ObjectResponse> S3Client::perform(const Call& call, std::string_view operation) const {
    const auto started = std::chrono::steady_clock::now();
    const auto report = [&](std::string_view result) {
        if (observe_) {
            observe_(
                operation, result,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        }
    };
    Expected<ObjectResponse> answer = fail(ErrorCode::StorageUnavailable, "not sent");
    for (int attempt = 0; attempt <= static_cast<int>(settings_.retries); ++attempt) {
        if (attempt > 0) {
            std::this_thread::sleep_for(backoff(attempt));
        }
        answer = send_once(call);
        if (answer && !worth_retrying(answer->status)) {
            break;
        }
    }
    if (!answer) {
        report("unreachable");
        return answer;
    }
    if (answer->status == 404) {
        report("not_found");
        return answer;
    }
    if (answer->status >= 300) {
        report("error");
        const auto code = xml_values(answer->body, "Code");
        return fail(ErrorCode::StorageUnavailable, "the object store refused a request",
                    call.method + " " + call.key + ": " + std::to_string(answer->status) + " " +
                        (code.empty() ? std::string() : code.front()));
    }
    report("ok");
    return answer;
}

Expected<void> S3Client::put(std::string_view key, std::string_view bytes) {
    if (bytes.size() > settings_.multipart_threshold) {
        return put_in_parts(key, bytes);
    }
    const Md5 md5 = md5_of(bytes);
    Call call{"PUT", std::string(key), {}, bytes, {{"Content-MD5", md5.base64}}};
    auto answer = perform(call, "put");
    if (!answer) {
        return tl::unexpected(answer.error());
    }
    if (answer->status == 404) {
        return fail(ErrorCode::StorageUnavailable, "the object store has no such bucket",
                    settings_.bucket);
    }
    // The store's ETag of a single-part object is its MD5: what it holds is what was sent.
    const std::string etag = unquoted(answer->header("ETag"));
    if (!etag.empty() && etag != md5.hex) {
        return fail(ErrorCode::StorageUnavailable, "the object store kept other bytes than sent",
                    std::string(key) + ": ETag " + etag);
    }
    return {};
}

Expected<void> S3Client::put_in_parts(std::string_view key, std::string_view bytes) {
    auto started = perform({"POST", std::string(key), {{"uploads", ""}}, {}, {}}, "multipart");
    if (!started) {
        return tl::unexpected(started.error());
    }
    const auto ids = xml_values(started->body, "UploadId");
    if (started->status != 200 || ids.empty()) {
        return fail(ErrorCode::StorageUnavailable, "the object store did not start an upload",
                    std::string(key));
    }
    const std::string upload_id = ids.front();
    const auto abort = [&](const Error& why) -> Expected<void> {
        (void)perform({"DELETE", std::string(key), {{"uploadId", upload_id}}, {}, {}}, "multipart");
        return tl::unexpected(why);
    };
    std::string manifest = "<CompleteMultipartUpload>";
    const std::size_t part_size = settings_.multipart_threshold;
    int number = 1;
    for (std::size_t at = 0; at < bytes.size(); at += part_size, ++number) {
        const auto part = bytes.substr(at, part_size);
        const Md5 md5 = md5_of(part);
        auto sent = perform({"PUT",
                             std::string(key),
                             {{"partNumber", std::to_string(number)}, {"uploadId", upload_id}},
                             part,
                             {{"Content-MD5", md5.base64}}},
                            "multipart");
        if (!sent) {
            return abort(sent.error());
        }
        const std::string etag = unquoted(sent->header("ETag"));
        if (sent->status != 200 || etag != md5.hex) {
            return abort(make_error(ErrorCode::StorageUnavailable,
                                    "the object store kept other bytes than sent",
                                    std::string(key) + " part " + std::to_string(number)));
        }
        manifest += "<Part><PartNumber>" + std::to_string(number) + "</PartNumber><ETag>\"" + etag +
                    "\"</ETag></Part>";
    }
    manifest += "</CompleteMultipartUpload>";
    auto completed =
        perform({"POST", std::string(key), {{"uploadId", upload_id}}, manifest, {}}, "multipart");
    if (!completed) {
        return abort(completed.error());
    }
    // S3 may answer 200 with an <Error> in the body when completing fails late.
    if (completed->status != 200 || !xml_values(completed->body, "Code").empty()) {
        return abort(make_error(ErrorCode::StorageUnavailable,
                                "the object store did not complete an upload", std::string(key)));
    }
    return {};
}

Expected<std::string> S3Client::get(std::string_view key) const {
    auto answer = perform({"GET", std::string(key), {}, {}, {}}, "get");
    if (!answer) {
        return tl::unexpected(answer.error());
    }
    if (answer->status == 404) {
        return fail(ErrorCode::NotFound, "there is no such object", std::string(key));
    }
    return std::move(answer->body);
}

Expected<bool> S3Client::exists(std::string_view key) const {
    auto answer = perform({"HEAD", std::string(key), {}, {}, {}}, "head");
    if (!answer) {
        return tl::unexpected(answer.error());
    }
    return answer->status != 404;
}

Expected<void> S3Client::remove(std::string_view key) {
    auto answer = perform({"DELETE", std::string(key), {}, {}, {}}, "delete");
    if (!answer) {
        return tl::unexpected(answer.error());
    }
    return {};  // 204, or 404: gone either way
}

Expected<KeyPage> S3Client::list(std::string_view prefix,
                                 std::string_view start_after,
                                 std::size_t max_keys,
                                 std::string_view next) const {
    std::vector<std::pair<std::string, std::string>> query{
        {"list-type", "2"},
        {"prefix", settings_.prefix + std::string(prefix)},
        {"max-keys", std::to_string(max_keys)}};
    if (!start_after.empty()) {
        query.emplace_back("start-after", settings_.prefix + std::string(start_after));
    }
    if (!next.empty()) {
        query.emplace_back("continuation-token", std::string(next));
    }
    auto answer = perform({"GET", {}, std::move(query), {}, {}}, "list");
    if (!answer) {
        return tl::unexpected(answer.error());
    }
    if (answer->status == 404) {
        return fail(ErrorCode::StorageUnavailable, "the object store has no such bucket",
                    settings_.bucket);
    }
    KeyPage page;
    for (auto& key : xml_values(answer->body, "Key")) {
        if (key.starts_with(settings_.prefix)) {
            page.keys.push_back(key.substr(settings_.prefix.size()));
        }
    }
    const auto truncated = xml_values(answer->body, "IsTruncated");
    if (!truncated.empty() && truncated.front() == "true") {
        const auto tokens = xml_values(answer->body, "NextContinuationToken");
        if (!tokens.empty()) {
            page.next = tokens.front();
        }
    }
    return page;
}

Expected<std::vector<std::string>> S3Client::list_all(std::string_view prefix,
                                                      std::string_view start_after) const {
    std::vector<std::string> keys;
    std::string next;
    do {
        auto page = list(prefix, start_after, 1000, next);
        if (!page) {
            return tl::unexpected(page.error());
        }
        keys.insert(keys.end(), std::make_move_iterator(page->keys.begin()),
                    std::make_move_iterator(page->keys.end()));
        next = page->next;
    } while (!next.empty());
    return keys;
}

Expected<void> S3Client::create_bucket() {
    auto answer = perform({"PUT", {}, {}, {}, {}}, "put");
    if (!answer) {
        // 409 BucketAlreadyOwnedByYou: there already.
        if (answer.error().detail.find("BucketAlreadyOwnedByYou") != std::string::npos) {
            return {};
        }
        return tl::unexpected(answer.error());
    }
    return {};
}

}  // namespace imgline::storage::s3
