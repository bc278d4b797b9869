#pragma once

#include "server/spooled_bytes.h"

#include <cstdint>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

namespace imgline::server {

/// Beast's Body for requests: the parser hands what it reads to SpooledBytes, so a large body
/// is held in a temporary file rather than in memory (see SpooledBytes). Requests only: the
/// server never sends one.
struct SpooledBody {
    using value_type = SpooledBytes;

    static std::uint64_t size(const value_type& body) {
        return body.size();
    }

    class reader {
    public:
        template <bool isRequest, class Fields>
        reader(boost::beast::http::header<isRequest, Fields>& /*head*/, value_type& body)
            : body_(body) {}

        void init(const boost::optional<std::uint64_t>& length, boost::beast::error_code& ec) {
            if (!body_.expect(length ? std::optional<std::uint64_t>(*length) : std::nullopt)) {
                ec = boost::beast::error_code(body_.failure_errno(),
                                              boost::system::system_category());
                return;
            }
            ec = {};
        }

        template <class ConstBufferSequence>
        std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
            std::size_t taken = 0;
            for (auto it = boost::asio::buffer_sequence_begin(buffers);
                 it != boost::asio::buffer_sequence_end(buffers); ++it) {
                const boost::asio::const_buffer buffer = *it;
                if (!body_.append({static_cast<const char*>(buffer.data()), buffer.size()})) {
                    ec = boost::beast::error_code(body_.failure_errno(),
                                                  boost::system::system_category());
                    return taken;
                }
                taken += buffer.size();
            }
            ec = {};
            return taken;
        }

        void finish(boost::beast::error_code& ec) {
            if (!body_.finish()) {
                ec = boost::beast::error_code(body_.failure_errno(),
                                              boost::system::system_category());
                return;
            }
            ec = {};
        }

    private:
        value_type& body_;
    };
};

}  // namespace imgline::server
