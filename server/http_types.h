#pragma once

// Beast and Asio names used across server/. Nothing outside server/ includes this file
// (tests/layering keeps it so).
#include "server/spooled_body.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace imgline::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

/// A request as the server reads it; its body may be held in a temporary file (SpooledBody).
using HttpRequest = http::request<SpooledBody>;
using HttpResponse = http::response<http::string_body>;  // what clients parse

}  // namespace imgline::server
