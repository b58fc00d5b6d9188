// A bare synchronous WebSocket client for sending arbitrary frames at rtmd.
#pragma once
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <string>

namespace rtm::test {

class RawWs {
 public:
  RawWs(uint16_t port, bool offer_subprotocol = true) : ws_(ioc_) {
    namespace net = boost::asio;
    namespace websocket = boost::beast::websocket;
    net::ip::tcp::resolver resolver(ioc_);
    net::connect(ws_.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
    ws_.set_option(websocket::stream_base::decorator([offer_subprotocol](websocket::request_type& req) {
      if (offer_subprotocol) req.set(boost::beast::http::field::sec_websocket_protocol, "rtm.v1");
    }));
    ws_.read_message_max(64 << 20);
    timeval tv{15, 0};  // a read never hangs a test
    ::setsockopt(ws_.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ws_.handshake("127.0.0.1", "/");
  }

  void send_text(const std::string& s) { ws_.text(true); ws_.write(boost::asio::buffer(s)); }
  void send_binary(const std::string& s) { ws_.binary(true); ws_.write(boost::asio::buffer(s)); }

  // Writes only the header of a masked binary frame announcing `len` payload bytes.
  void send_frame_header(uint64_t len) {
    unsigned char h[14] = {0x82, 0x80 | 127};
    for (int i = 0; i < 8; ++i) h[2 + i] = static_cast<unsigned char>(len >> (56 - 8 * i));
    h[10] = 1; h[11] = 2; h[12] = 3; h[13] = 4;  // masking key
    boost::asio::write(ws_.next_layer(), boost::asio::buffer(h, sizeof h));
  }

  // Reads one message; returns false (and sets closed_code) when the connection was closed.
  bool read(std::string& out) {
    boost::beast::flat_buffer buf;
    boost::beast::error_code ec;
    ws_.read(buf, ec);
    if (ec) {
      closed_code = ws_.reason().code;
      error = ec;
      return false;
    }
    out = boost::beast::buffers_to_string(buf.data());
    return true;
  }

  int closed_code = 0;
  boost::beast::error_code error;

 private:
  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
};

}  // namespace rtm::test
