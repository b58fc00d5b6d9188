// The single translation unit that compiles Boost.Asio, Asio SSL and Boost.Beast.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
