#pragma once

#include "server/http_types.h"

#include <chrono>
#include <optional>
#include <string>

namespace imgline::server {

/// A TCP connection used with blocking calls from one thread at a time (the command line's
/// client, edge checks, the object store's pool): each operation runs as an async one to
/// completion on the calling thread, so the stream's timeout bounds it.
struct BlockingConnection {
    net::io_context io;
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;

    /// Runs one async operation (given its completion handler) to completion.
    template <class Operation>
    beast::error_code run(Operation&& operation) {
        beast::error_code result = net::error::would_block;
        operation([&result](beast::error_code ec, auto&&...) { result = ec; });
        io.restart();
        io.run();
        return result;
    }

    /// (Re)connects to host:port within `timeout`, dropping anything buffered.
    beast::error_code connect(const std::string& host,
                              const std::string& port,
                              std::chrono::steady_clock::duration timeout) {
        stream.reset();
        buffer.clear();
        tcp::resolver resolver(io);
        beast::error_code ec;
        const auto endpoints = resolver.resolve(host, port, ec);
        if (ec) {
            return ec;
        }
        stream.emplace(io);
        stream->expires_after(timeout);
        return run([&](auto handler) { stream->async_connect(endpoints, handler); });
    }
};

}  // namespace imgline::server
