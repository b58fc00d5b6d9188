// Accepting ws:// and wss:// connections. Implemented in session.cpp, the one translation unit
// that instantiates Beast's WebSocket templates for the server.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <functional>
#include <memory>

#include "core/server/config.hpp"

namespace rtm::server {

struct ServerCore;
class Conn;

// Tracks every open connection so that shutdown can close them.
struct ConnTracker {
  std::function<void(const std::shared_ptr<Conn>&)> opened;
  std::function<void(const Conn*)> closed;
};

class Listener {
 public:
  virtual ~Listener() = default;
  virtual uint16_t port() const = 0;
  virtual bool tls() const = 0;
  virtual void stop() = 0;
};

// Binds and starts accepting. Throws boost::system::system_error when the address cannot be bound.
std::shared_ptr<Listener> start_listener(boost::asio::io_context& ioc, const ListenConfig& lc, ServerCore& core,
                                         boost::asio::ssl::context* tls, ConnTracker& tracker);

}  // namespace rtm::server
