// rtmd as a library: the whole server behind start/port/stop, embeddable in any process.
#pragma once
#include <cstdint>
#include <memory>

#include "core/server/config.hpp"

namespace rtm::server {

class Server {
 public:
  explicit Server(ServerConfig cfg);
  ~Server();  // stops if running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Opens the store, binds every listener and starts the I/O threads. Throws std::exception with a
  // readable message on failure (bad certificate, port in use, unwritable data directory).
  void start();
  // The bound port of the first ws (tls=false) or wss (tls=true) listener; 0 if there is none.
  uint16_t port(bool tls = false) const;
  // Graceful stop: stop accepting, close every session with 1001, flush the store, join threads.
  void stop();
  // Open connections (logged in or not).
  std::size_t connection_count() const;
  const ServerConfig& config() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rtm::server
