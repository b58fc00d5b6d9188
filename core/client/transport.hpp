// One WebSocket connection from the client to rtmd, plain or TLS. Lives on the client's network
// thread; every member must be called there, except send_from_any_thread.
#pragma once
#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace rtm {

struct Url {
  bool tls = false;
  std::string host;
  std::string port;
  std::string path = "/";
};
bool parse_url(const std::string& text, Url& out);

struct TransportOptions {
  std::string ca_file;
  bool insecure = false;
  uint32_t connect_timeout_ms = 5000;
  uint32_t idle_timeout_ms = 6000;
  std::size_t max_frame_bytes = 1u << 20;
};

struct TransportEvents {
  std::function<void()> opened;
  std::function<void(std::string_view data, bool binary)> frame;
  // close_code: the WebSocket close code the server sent, or 0 when the connection failed or dropped.
  std::function<void(int close_code, std::string detail)> closed;
  std::function<bool()> may_read;  // false: stop reading until resume_reading()
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual void connect() = 0;
  virtual void send(std::shared_ptr<const std::string> data, bool binary) = 0;
  // Any thread: writes the frame at once when the transport allows it (an open plain connection)
  // and returns true; false means nothing was done and the caller goes through the network thread.
  virtual bool send_from_any_thread(const std::shared_ptr<const std::string>& data, bool binary) = 0;
  virtual void close() = 0;           // graceful close; `closed` follows
  virtual void abort() = 0;           // drop at once; no further events
  virtual void resume_reading() = 0;
  virtual std::size_t queued_bytes() const = 0;
};

std::shared_ptr<Transport> make_transport(boost::asio::io_context& ioc, const Url& url, const TransportOptions& opts,
                                          TransportEvents events);

}  // namespace rtm
