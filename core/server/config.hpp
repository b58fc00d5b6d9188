// rtmd configuration: defaults, the JSON config file and command-line flags all fill this struct.
// docs/configuration.md documents every key.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rtm::server {

// Per-client rate limits: at most `count` operations per `window_ms`; count 0 disables one.
struct Rate {
  uint32_t count = 0;
  uint32_t window_ms = 1000;
};

// Defaults follow the RTM 1.x limits of its server-side (Linux) SDK; docs/configuration.md lists them.
struct RateLimits {
  Rate login{2, 1000};           // per user id
  Rate renew{2, 1000};
  Rate messages{1500, 3000};     // peer and channel messages together
  Rate join{50, 3000};           // joins of any channel
  Rate join_same{2, 5000};       // joins of one channel
  Rate members{5, 2000};         // getMembers
  Rate count{1, 1000};           // getChannelMemberCount
  Rate query{100, 5000};         // queryPeersOnlineStatus
  Rate subscribe{10, 5000};      // subscribe, unsubscribe, queryPeersBySubscriptionOption (each)
  Rate user_attr_write{100, 5000};
  Rate user_attr_read{400, 5000};
  Rate channel_attr_write{100, 5000};
  Rate channel_attr_read{400, 5000};
};

struct AppConfig {
  AppConfig() = default;
  AppConfig(std::string id, std::string cert = {}) : app_id(std::move(id)), certificate(std::move(cert)) {}
  std::string app_id;
  std::string certificate;  // empty: development mode, logins need no token
  bool has_rate = false;    // rate limits of its own instead of the server-wide ones
  RateLimits rate;
};

// A customer key/secret pair for the REST API's Basic authentication, optionally limited to apps.
struct RestCredential {
  std::string key, secret;
  std::vector<std::string> apps;  // empty: every app
};

struct RestConfig {
  std::vector<RestCredential> credentials;  // none: only token authentication
  // Plain-HTTP (ws listener) REST requests: "loopback" (only from 127.0.0.0/8 and ::1), "on", "off".
  // The wss listeners always serve it.
  std::string plain_http = "loopback";
  Rate messages{500, 1000};  // peer and channel message calls per app
  Rate events{10, 1000};     // user_events and channel_events calls per app
  uint32_t events_kept = 2000;  // user and channel events kept per app, each
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
  std::string log_format = "text";           // text | json (one object per line)

  uint32_t offline_max_per_user = 200;       // newest replaces oldest beyond this
  uint32_t offline_ttl_seconds = 7 * 24 * 3600;
  bool store_sync = true;                    // fsync every commit (synchronous=FULL)

  std::size_t outbound_queue_bytes = 4u << 20;  // per connection; overflow closes with 4100
  std::size_t max_frame_bytes = 256u << 10;     // larger WebSocket messages close with 1009 (a 32 KB
                                                // message may grow up to 6x when JSON-escaped)
  std::size_t max_pending_requests = 4096;      // unanswered peer messages per connection
  uint32_t idle_timeout_ms = 10000;             // no traffic for this long: connection is dead
  uint32_t login_timeout_ms = 10000;            // upgrade to login frame
  uint32_t peer_timeout_ms = 10000;             // peer message without receiver ack: SENT_TIMEOUT

  uint32_t grace_ms = 30000;                    // a dropped session keeps channels and presence this long
  uint32_t recovery_messages = 128;             // channel messages kept for recovery after a reconnect
  uint32_t recovery_age_ms = 30000;             // ... and how old they may be
  uint32_t member_count_interval_ms = 1000;     // MemberCountUpdated at most this often per channel
  uint32_t housekeeping_interval_ms = 100;      // grace expiry, member counts, invitation deadlines
  uint32_t member_events_max = 512;             // no MemberJoined/MemberLeft above this many members
  uint32_t channel_attr_ttl_ms = 300000;        // attributes of an empty channel are removed after this
  uint32_t invitation_offline_ms = 30000;       // callee offline this long: PEER_OFFLINE
  uint32_t invitation_ack_ms = 30000;           // callee SDK did not acknowledge: PEER_NO_RESPONSE
  uint32_t invitation_expire_ms = 60000;        // no answer after the acknowledgement: INVITATION_EXPIRE
  uint32_t token_warning_ms = 30000;            // TokenPrivilegeWillExpire this long before expiry
  RateLimits rate;
  RestConfig rest;                              // the REST API (docs/rest-api.md)
};

// Reads a JSON config file into `cfg` (keys not present keep their value). Returns false and sets
// `error` when the file cannot be read or a key has the wrong type or is unknown.
bool load_config_file(const std::string& path, ServerConfig& cfg, std::string& error);

// Checks values that would break the server (zero sizes and timeouts).
bool validate(const ServerConfig& cfg, std::string& error);

// The project version ("0.3.0"), set by the build.
const char* project_version();

// Every rate limit with its config name ("messages", "join", ...), in one table.
struct RateLimitName {
  const char* name;
  Rate RateLimits::*member;
};
inline constexpr std::size_t kRateLimitCount = 13;
const std::array<RateLimitName, kRateLimitCount>& rate_limit_names();
// Looks a limit up by its config name; null if unknown.
Rate* rate_by_name(RateLimits& r, const std::string& name);
// The index in rate_limit_names() of `rate`, a member of `r`; kRateLimitCount if it is none.
std::size_t rate_limit_index(const RateLimits& r, const Rate& rate);
void disable_rate_limits(RateLimits& r);

// Parses "KEY:SECRET[:APP,APP...]" (a --rest-credential) into `out`.
bool parse_rest_credential(const std::string& text, RestCredential& out);

// Parses "host:port" (host optional) into `out`.
bool parse_listen(const std::string& text, bool tls, ListenConfig& out);

}  // namespace rtm::server
