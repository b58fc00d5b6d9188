// rtm::Client — the RTM client engine. Every public method is thread-safe and never blocks on the
// network. Results and events arrive on the client's dispatcher: by default one dedicated thread per
// client runs this client's callbacks one at a time, in order; in poll mode the application runs
// them from Client::poll on a thread of its choosing. No callback ever runs on the network thread.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "core/protocol/errors.hpp"

namespace rtm {

struct Message {
  MessageType type = MessageType::TEXT;
  std::string text;            // the text of a TEXT message, the description of a RAW one
  std::string raw;             // the payload of a RAW message
  int64_t message_id = 0;      // unique per sender
  int64_t server_received_ts = 0;  // ms since the epoch, set on received messages
  bool is_offline = false;     // received: it was stored while this user was offline

  static Message from_text(std::string t) {
    Message m;
    m.text = std::move(t);
    return m;
  }
  static Message from_raw(std::string data, std::string description = {}) {
    Message m;
    m.type = MessageType::RAW;
    m.raw = std::move(data);
    m.text = std::move(description);
    return m;
  }
};

struct SendMessageOptions {
  bool enable_offline_messaging = false;
  bool enable_historical_messaging = false;  // accepted for compatibility
};

// Callbacks. Override what you need; the defaults do nothing.
class EventHandler {
 public:
  virtual ~EventHandler() = default;
  virtual void on_connection_state_changed(ConnectionState, ConnectionChangeReason) {}
  virtual void on_login_success() {}
  virtual void on_login_failure(LoginErr) {}
  virtual void on_logout(LogoutErr) {}
  virtual void on_renew_token_result(const std::string& /*token*/, RenewTokenErr) {}
  virtual void on_token_expired() {}
  virtual void on_send_message_result(int64_t /*message_id*/, PeerMessageErr) {}
  virtual void on_message_received_from_peer(const std::string& /*peer_id*/, const Message&) {}
};

enum class DispatchMode { thread, poll };

struct ClientConfig {
  std::string app_id;
  std::string url = "ws://127.0.0.1:9600";  // ws://host[:port][/path] or wss://…
  std::string ca_file;                      // PEM bundle trusted for wss, in addition to the system roots
  bool tls_insecure_skip_verify = false;    // development only: accept any server certificate
  uint32_t login_timeout_ms = 6000;         // login() to LOGIN_TIMEOUT
  uint32_t request_timeout_ms = 10000;      // peer message to SENT_TIMEOUT
  uint32_t idle_timeout_ms = 6000;          // silence after which the connection is dead (pings at half)
  uint32_t connect_timeout_ms = 5000;       // one TCP + TLS + upgrade attempt
  uint32_t reconnect_min_ms = 250;          // first retry delay; doubles up to max, with jitter
  uint32_t reconnect_max_ms = 8000;
  std::size_t max_outbound_bytes = 8u << 20;   // unanswered requests; beyond: TOO_OFTEN
  std::size_t max_pending_events = 1u << 16;   // dispatcher queue; beyond: the socket is not read
  std::size_t dedup_window = 4096;             // received (sender, message id) pairs remembered
  DispatchMode dispatch = DispatchMode::thread;
};

class Client {
 public:
  // `handler` must outlive the client; it is never called after the destructor returns.
  Client(ClientConfig cfg, EventHandler* handler);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Each returns 0 when the request was accepted (its outcome arrives as a callback) or the RTM
  // error code of the operation when it was refused at once (no callback follows).
  int login(const std::string& token, const std::string& user_id);
  int logout();
  int renew_token(const std::string& token);
  int send_message_to_peer(const std::string& peer_id, const Message& message, const SendMessageOptions& options,
                           int64_t* message_id = nullptr);

  ConnectionState state() const;
  std::string user_id() const;

  // Poll mode: runs pending callbacks on the calling thread, waiting up to timeout_ms (-1: forever)
  // for the first. Returns how many ran. wakeup() makes a waiting poll return. event_fd() is readable
  // while callbacks are pending, for external event loops.
  int poll(int timeout_ms);
  void wakeup();
  int event_fd() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace rtm
