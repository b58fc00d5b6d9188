// Test support: an HTTP/1.1 client on one connection (plain or TLS, keep-alive), for rtmd's HTTP
// endpoints and REST API.
#pragma once
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <map>
#include <string>

namespace rtm::test {

class HttpConn {
 public:
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  HttpConn(uint16_t port, bool tls)
      : ssl_ctx_(boost::asio::ssl::context::tls_client), tls_(tls), plain_(ioc_), secure_(ioc_, ssl_ctx_) {
    boost::asio::ip::tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), port);
    if (tls_) {
      ssl_ctx_.set_verify_mode(boost::asio::ssl::verify_none);
      secure_.next_layer().connect(ep);
      secure_.handshake(boost::asio::ssl::stream_base::client);
    } else {
      plain_.connect(ep);
    }
  }

  Response request(boost::beast::http::verb verb, const std::string& target, const std::string& body = {},
                   const std::map<std::string, std::string>& headers = {}, bool close = false) {
    namespace http = boost::beast::http;
    http::request<http::string_body> req(verb, target, 11);
    req.set(http::field::host, "127.0.0.1");
    if (close) req.set(http::field::connection, "close");
    for (auto& [k, v] : headers) req.set(k, v);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    http::response_parser<http::string_body> parser;
    parser.body_limit(16u << 20);
    if (verb == http::verb::head) parser.skip(true);
    if (tls_) {
      http::write(secure_, req);
      http::read(secure_, buf_, parser);
    } else {
      http::write(plain_, req);
      http::read(plain_, buf_, parser);
    }
    return parser.release();
  }
  Response get(const std::string& target, boost::beast::http::verb verb = boost::beast::http::verb::get,
               bool close = false) {
    return request(verb, target, {}, {}, close);
  }

  // True when the server closed the (plain) connection.
  bool closed_by_server() {
    char c;
    boost::system::error_code ec;
    plain_.read_some(boost::asio::buffer(&c, 1), ec);
    return ec == boost::asio::error::eof;
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ssl::context ssl_ctx_;
  bool tls_;
  boost::asio::ip::tcp::socket plain_;
  boost::asio::ssl::stream<boost::asio::ip::tcp::socket> secure_;
  boost::beast::flat_buffer buf_;
};

}  // namespace rtm::test
