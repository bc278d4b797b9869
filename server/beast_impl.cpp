// The one translation unit that compiles Beast and Asio (BOOST_BEAST_SEPARATE_COMPILATION and
// BOOST_ASIO_SEPARATE_COMPILATION are set on imgline_server for everything that includes them),
// with Asio's TLS for the object store's https:// endpoints.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
