#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace imgline::cdn {

/// Expiring URLs that CDN edges verify before serving (hotlink protection).
///
/// Alibaba Cloud CDN "type A" (also Tencent Cloud's type A and others):
///   URI?auth_key=TIMESTAMP-RAND-UID-MD5  with MD5 = md5hex("URI-TIMESTAMP-RAND-UID-KEY");
///   the edge accepts it until TIMESTAMP + its configured validity period.
/// nginx secure_link (ngx_http_secure_link_module, in Debian's nginx):
///   URI?md5=HASH&expires=EXPIRES  with HASH = base64url(md5(EXPIRES + URI + " " + KEY)),
///   verified by `secure_link $arg_md5,$arg_expires;
///                secure_link_md5 "$secure_link_expires$uri <KEY>";`.

/// "auth_key=..." for `uri` (a path starting with '/', without query), signed at `timestamp`
/// (Unix seconds) with `rand` and uid 0.
std::string alibaba_a_query(std::string_view uri,
                            std::int64_t timestamp,
                            std::string_view rand,
                            std::string_view key);

/// md5hex("URI-TIMESTAMP-RAND-UID-KEY").
std::string alibaba_a_hash(std::string_view uri,
                           std::string_view timestamp,
                           std::string_view rand,
                           std::string_view uid,
                           std::string_view key);

enum class UrlAuthResult { Valid, Expired, Invalid };

/// Verifies an auth_key value for `uri` at `now`, accepting it until timestamp + `validity`
/// seconds. The hash is compared in constant time.
UrlAuthResult verify_alibaba_a(std::string_view uri,
                               std::string_view auth_key,
                               std::string_view key,
                               std::int64_t now,
                               std::int64_t validity);

/// base64url(md5(EXPIRES + URI + CLIENT + " " + KEY)); `client` is the viewer's address when
/// the edge's secure_link_md5 includes $remote_addr, else empty.
std::string nginx_secure_link_hash(std::string_view uri,
                                   std::int64_t expires,
                                   std::string_view key,
                                   std::string_view client = "");

/// "md5=HASH&expires=EXPIRES" for `uri`.
std::string nginx_secure_link_query(std::string_view uri,
                                    std::int64_t expires,
                                    std::string_view key);

/// Verifies md5 and expires query values as nginx does (expired once now > expires).
UrlAuthResult verify_nginx_secure_link(std::string_view uri,
                                       std::string_view md5,
                                       std::string_view expires,
                                       std::string_view key,
                                       std::int64_t now);

}  // namespace imgline::cdn
