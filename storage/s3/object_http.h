#pragma once

#include "common/expected.h"

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace imgline::storage::s3 {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// One HTTP request to an object store, as the S3 client builds it.
struct ObjectRequest {
    std::string method;
    std::string host;     // as in the Host header: "127.0.0.1:8080"
    std::string address;  // where to connect: host name or IP
    std::string port;
    bool tls = false;    // https: the store's certificate is checked for `address`
    std::string target;  // encoded path and query
    HeaderList headers;
    std::string_view body;
    std::chrono::milliseconds timeout{30000};
};

struct ObjectResponse {
    int status = 0;
    HeaderList headers;
    std::string body;

    /// A response header's value (name in any case), or empty.
    std::string header(std::string_view name) const;
};

/// How the S3 client reaches the store without knowing the HTTP stack: send one request and
/// give the response, or an error (StorageUnavailable) when there is none (connection refused,
/// timeout). The server room provides it with pooled keep-alive connections
/// (server::ObjectHttpPool); it must be callable from several threads at once.
using ObjectHttp = std::function<Expected<ObjectResponse>(const ObjectRequest&)>;

}  // namespace imgline::storage::s3
