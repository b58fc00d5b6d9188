// rtmd configuration: defaults, the JSON config file and command-line flags all fill this struct.
// docs/configuration.md documents every key.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rtm::server {

struct AppConfig {
  std::string app_id;
  std::string certificate;  // empty: development mode, logins need no token
};

struct ListenConfig {
  std::string address = "127.0.0.1";
  uint16_t port = 9600;  // 0: an ephemeral port (see Server::port)
  bool tls = false;
};

struct ServerConfig {
  std::vector<ListenConfig> listen;          // empty: ws on 127.0.0.1:9600 (and wss on 9601 with dev)
  std::string tls_cert_file;                 // PEM certificate chain for wss listeners
  std::string tls_key_file;                  // PEM private key
  std::string data_dir = "rtmd-data";        // SQLite store, generated dev certificates
  bool dev = false;                          // generate a self-signed pair when none is configured
  unsigned io_threads = 0;                   // 0: the number of cores
  std::vector<AppConfig> apps;               // empty: any app id is accepted without a token
  std::string log_level = "info";

  uint32_t offline_max_per_user = 200;       // newest replaces oldest beyond this
  uint32_t offline_ttl_seconds = 7 * 24 * 3600;
  bool store_sync = true;                    // fsync every commit (synchronous=FULL)

  std::size_t outbound_queue_bytes = 4u << 20;  // per connection; overflow closes with 4100
  std::size_t max_frame_bytes = 64u << 10;      // larger WebSocket messages close with 1009
  std::size_t max_pending_requests = 4096;      // unanswered peer messages per connection
  uint32_t idle_timeout_ms = 10000;             // no traffic for this long: connection is dead
  uint32_t login_timeout_ms = 10000;            // upgrade to login frame
  uint32_t peer_timeout_ms = 10000;             // peer message without receiver ack: SENT_TIMEOUT
};

// Reads a JSON config file into `cfg` (keys not present keep their value). Returns false and sets
// `error` when the file cannot be read or a key has the wrong type or is unknown.
bool load_config_file(const std::string& path, ServerConfig& cfg, std::string& error);

// Parses "host:port" (host optional) into `out`.
bool parse_listen(const std::string& text, bool tls, ListenConfig& out);

}  // namespace rtm::server
