// rtm::Client — the RTM client engine. Every public method is thread-safe and never blocks on the
// network. Results and events arrive on the client's dispatcher: by default one dedicated thread per
// client runs this client's callbacks one at a time, in order; in poll mode the application runs
// them from Client::poll on a thread of its choosing. No callback ever runs on the network thread.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

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

struct Attribute {
  std::string key;
  std::string value;
};

struct ChannelAttribute {
  std::string key;
  std::string value;
  std::string last_update_user_id;
  int64_t last_update_ts = 0;  // ms
};

struct ChannelAttributeOptions {
  bool enable_notification_to_channel_members = false;
};

struct PeerOnlineStatus {
  std::string peer_id;
  bool is_online = false;
  PeerOnlineState state = PeerOnlineState::OFFLINE;
};

struct ChannelMemberCount {
  std::string channel_id;
  int count = 0;
};

class Client;

// The caller's side of a call invitation. Getters are thread-safe; setters only before send.
class LocalInvitation {
 public:
  const std::string& callee_id() const { return callee_; }
  int64_t id() const { return id_; }
  void set_content(std::string c) { std::lock_guard l(mu_); content_ = std::move(c); }
  std::string content() const { std::lock_guard l(mu_); return content_; }
  void set_channel_id(std::string c) { std::lock_guard l(mu_); channel_ = std::move(c); }
  std::string channel_id() const { std::lock_guard l(mu_); return channel_; }
  std::string response() const { std::lock_guard l(mu_); return response_; }
  LocalInvitationState state() const { std::lock_guard l(mu_); return state_; }
  // rtmkit extensions, before send: fail at once with PEER_OFFLINE when the callee is offline (instead
  // of waiting for it), and fail with INVITATION_EXPIRE `ttl_ms` after sending (0: the server's timings).
  void set_require_peer_online(bool on) { std::lock_guard l(mu_); require_online_ = on; }
  void set_ttl_ms(uint32_t ms) { std::lock_guard l(mu_); ttl_ms_ = ms; }

 private:
  friend class Client;
  friend struct ClientImplAccess;
  LocalInvitation(std::string callee, int64_t id) : callee_(std::move(callee)), id_(id) {}
  std::string callee_;
  int64_t id_;
  mutable std::mutex mu_;
  std::string content_, channel_, response_;
  bool require_online_ = false;
  uint32_t ttl_ms_ = 0;
  LocalInvitationState state_ = LocalInvitationState::IDLE;
};

// The callee's side of a call invitation.
class RemoteInvitation {
 public:
  const std::string& caller_id() const { return caller_; }
  int64_t id() const { return id_; }
  const std::string& content() const { return content_; }
  const std::string& channel_id() const { return channel_; }
  void set_response(std::string r) { std::lock_guard l(mu_); response_ = std::move(r); }
  std::string response() const { std::lock_guard l(mu_); return response_; }
  RemoteInvitationState state() const { std::lock_guard l(mu_); return state_; }

 private:
  friend class Client;
  friend struct ClientImplAccess;
  RemoteInvitation(std::string caller, int64_t id, std::string content, std::string channel)
      : caller_(std::move(caller)), id_(id), content_(std::move(content)), channel_(std::move(channel)) {}
  std::string caller_;
  int64_t id_;
  std::string content_, channel_;
  mutable std::mutex mu_;
  std::string response_;
  RemoteInvitationState state_ = RemoteInvitationState::INVITATION_RECEIVED;
};

using LocalInvitationPtr = std::shared_ptr<LocalInvitation>;
using RemoteInvitationPtr = std::shared_ptr<RemoteInvitation>;

// Callbacks of one channel; they run on the client's dispatcher like every other callback.
class ChannelEventHandler {
 public:
  virtual ~ChannelEventHandler() = default;
  virtual void on_join_success() {}
  virtual void on_join_failure(JoinChannelErr) {}
  virtual void on_leave(LeaveChannelErr) {}
  virtual void on_message_received(const std::string& /*member_id*/, const Message&) {}
  virtual void on_send_message_result(int64_t /*message_id*/, ChannelMessageErr) {}
  virtual void on_member_joined(const std::string& /*member_id*/) {}
  virtual void on_member_left(const std::string& /*member_id*/) {}
  virtual void on_get_members(const std::vector<std::string>& /*member_ids*/, GetMembersErr) {}
  virtual void on_attributes_updated(const std::vector<ChannelAttribute>&) {}
  virtual void on_member_count_updated(int /*count*/) {}
};

// A channel of one client. Created by Client::create_channel; destroying it leaves the channel,
// waits for a callback of it that is running, and drops the ones still queued: its handler may be
// destroyed right after the Channel.
class Channel {
 public:
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;
  const std::string& id() const { return id_; }
  int join();
  int leave();
  int send_message(const Message& message, const SendMessageOptions& options = {}, int64_t* message_id = nullptr);
  int get_members();

 private:
  friend class Client;
  struct Impl;
  Channel(std::shared_ptr<void> client, std::string id) : client_(std::move(client)), id_(std::move(id)) {}
  std::shared_ptr<void> client_;  // the client's engine
  std::string id_;
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
  virtual void on_token_privilege_will_expire() {}
  virtual void on_send_message_result(int64_t /*message_id*/, PeerMessageErr) {}
  virtual void on_message_received_from_peer(const std::string& /*peer_id*/, const Message&) {}

  // Presence.
  virtual void on_query_peers_online_status_result(int64_t /*request_id*/, const std::vector<PeerOnlineStatus>&,
                                                   QueryPeersOnlineStatusErr) {}
  virtual void on_subscription_request_result(int64_t /*request_id*/, PeerSubscriptionStatusErr) {}
  virtual void on_query_peers_by_subscription_option_result(int64_t /*request_id*/,
                                                            const std::vector<std::string>& /*peer_ids*/,
                                                            QueryPeersBySubscriptionOptionErr) {}
  virtual void on_peers_online_status_changed(const std::vector<PeerOnlineStatus>&) {}

  // User attributes.
  virtual void on_set_local_user_attributes_result(int64_t /*request_id*/, AttributeOperationErr) {}
  virtual void on_add_or_update_local_user_attributes_result(int64_t /*request_id*/, AttributeOperationErr) {}
  virtual void on_delete_local_user_attributes_result(int64_t /*request_id*/, AttributeOperationErr) {}
  virtual void on_clear_local_user_attributes_result(int64_t /*request_id*/, AttributeOperationErr) {}
  virtual void on_get_user_attributes_result(int64_t /*request_id*/, const std::string& /*user_id*/,
                                             const std::vector<Attribute>&, AttributeOperationErr) {}

  // Channel attributes and counts.
  virtual void on_set_channel_attributes_result(int64_t /*request_id*/, AttributeOperationErr) {}
  virtual void on_add_or_update_channel_attributes_result(int64_t /*request_id*/, AttributeOperationErr) {}
  virtual void on_delete_channel_attributes_result(int64_t /*request_id*/, AttributeOperationErr) {}
  virtual void on_clear_channel_attributes_result(int64_t /*request_id*/, AttributeOperationErr) {}
  virtual void on_get_channel_attributes_result(int64_t /*request_id*/, const std::vector<ChannelAttribute>&,
                                                AttributeOperationErr) {}
  // rtmkit extension (the Signaling facade's channel queries): see Client::query_channel_info.
  virtual void on_query_channel_info_result(int64_t /*request_id*/, const std::string& /*channel_id*/,
                                            int /*member_count*/, bool /*user_is_member*/,
                                            const std::vector<std::string>& /*recent_members*/,
                                            GetChannelMemberCountErr) {}
  virtual void on_get_channel_member_count_result(int64_t /*request_id*/, const std::vector<ChannelMemberCount>&,
                                                  GetChannelMemberCountErr) {}

  // Call invitations: the caller's side.
  virtual void on_local_invitation_received_by_peer(const LocalInvitationPtr&) {}
  virtual void on_local_invitation_accepted(const LocalInvitationPtr&, const std::string& /*response*/) {}
  virtual void on_local_invitation_refused(const LocalInvitationPtr&, const std::string& /*response*/) {}
  virtual void on_local_invitation_canceled(const LocalInvitationPtr&) {}
  virtual void on_local_invitation_failure(const LocalInvitationPtr&, LocalInvitationErr) {}
  // The callee's side.
  virtual void on_remote_invitation_received(const RemoteInvitationPtr&) {}
  virtual void on_remote_invitation_accepted(const RemoteInvitationPtr&) {}
  virtual void on_remote_invitation_refused(const RemoteInvitationPtr&) {}
  virtual void on_remote_invitation_canceled(const RemoteInvitationPtr&) {}
  virtual void on_remote_invitation_failure(const RemoteInvitationPtr&, RemoteInvitationErr) {}
};

enum class DispatchMode { thread, poll };

struct ClientConfig {
  std::string app_id;
  std::string url = "ws://127.0.0.1:9600";  // ws://host[:port][/path] or wss://…
  std::string ca_file;                      // PEM bundle trusted for wss, in addition to the system roots
  bool tls_insecure_skip_verify = false;    // development only: accept any server certificate
  uint32_t login_timeout_ms = 6000;         // login() to LOGIN_TIMEOUT
  uint32_t request_timeout_ms = 10000;      // any request without an answer: its TIMEOUT code
  uint32_t idle_timeout_ms = 6000;          // silence after which the connection is dead (pings at half)
  uint32_t connect_timeout_ms = 5000;       // one TCP + TLS + upgrade attempt
  uint32_t reconnect_min_ms = 250;          // first retry delay; doubles up to max, with jitter
  uint32_t reconnect_max_ms = 8000;
  std::size_t max_outbound_bytes = 8u << 20;   // unanswered requests; beyond: TOO_OFTEN
  std::size_t max_pending_events = 1u << 16;   // dispatcher queue; beyond: the socket is not read
  std::size_t dedup_window = 4096;             // received (sender, message id) pairs remembered
  DispatchMode dispatch = DispatchMode::thread;
  bool signaling_login = false;  // log in as a Signaling-API client (legacy "1:..." tokens accepted)
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

  // Channels. Returns null for an invalid channel id; the same id gives the same channel while it lives.
  std::shared_ptr<Channel> create_channel(const std::string& channel_id, ChannelEventHandler* handler);

  // Presence (request_id, when given, receives the id that the result callback carries).
  int query_peers_online_status(const std::vector<std::string>& peer_ids, int64_t* request_id = nullptr);
  int subscribe_peers_online_status(const std::vector<std::string>& peer_ids, int64_t* request_id = nullptr);
  int unsubscribe_peers_online_status(const std::vector<std::string>& peer_ids, int64_t* request_id = nullptr);
  int query_peers_by_subscription_option(PeerSubscriptionOption option, int64_t* request_id = nullptr);

  // User attributes.
  int set_local_user_attributes(const std::vector<Attribute>& attributes, int64_t* request_id = nullptr);
  int add_or_update_local_user_attributes(const std::vector<Attribute>& attributes, int64_t* request_id = nullptr);
  int delete_local_user_attributes_by_keys(const std::vector<std::string>& keys, int64_t* request_id = nullptr);
  int clear_local_user_attributes(int64_t* request_id = nullptr);
  int get_user_attributes(const std::string& user_id, int64_t* request_id = nullptr);
  int get_user_attributes_by_keys(const std::string& user_id, const std::vector<std::string>& keys,
                                  int64_t* request_id = nullptr);

  // Channel attributes (no need to be in the channel) and member counts.
  int set_channel_attributes(const std::string& channel_id, const std::vector<Attribute>& attributes,
                             const ChannelAttributeOptions& options = {}, int64_t* request_id = nullptr);
  int add_or_update_channel_attributes(const std::string& channel_id, const std::vector<Attribute>& attributes,
                                       const ChannelAttributeOptions& options = {}, int64_t* request_id = nullptr);
  int delete_channel_attributes_by_keys(const std::string& channel_id, const std::vector<std::string>& keys,
                                        const ChannelAttributeOptions& options = {}, int64_t* request_id = nullptr);
  int clear_channel_attributes(const std::string& channel_id, const ChannelAttributeOptions& options = {},
                               int64_t* request_id = nullptr);
  int get_channel_attributes(const std::string& channel_id, int64_t* request_id = nullptr);
  int get_channel_attributes_by_keys(const std::string& channel_id, const std::vector<std::string>& keys,
                                     int64_t* request_id = nullptr);
  int get_channel_member_count(const std::vector<std::string>& channel_ids, int64_t* request_id = nullptr);
  // Any channel of the app, joined or not: its member count, whether `user_id` (may be empty) is a
  // member, and the `recent` (at most 512) members who joined last, newest first.
  int query_channel_info(const std::string& channel_id, const std::string& user_id, uint32_t recent,
                         int64_t* request_id = nullptr);

  // Call invitations.
  LocalInvitationPtr create_local_invitation(const std::string& callee_id);
  int send_local_invitation(const LocalInvitationPtr& invitation);
  int cancel_local_invitation(const LocalInvitationPtr& invitation);
  int accept_remote_invitation(const RemoteInvitationPtr& invitation);
  int refuse_remote_invitation(const RemoteInvitationPtr& invitation);

  ConnectionState state() const;
  std::string user_id() const;

  // Poll mode: runs pending callbacks on the calling thread, waiting up to timeout_ms (-1: forever)
  // for the first. Returns how many ran. wakeup() makes a waiting poll return. event_fd() is readable
  // while callbacks are pending, for external event loops (poll mode only).
  int poll(int timeout_ms);
  void wakeup();
  int event_fd() const;

  // Runs `fn` on this client's dispatcher, in order with its callbacks, after `delay_ms` (0: as soon
  // as possible); in poll mode the event fd turns readable then. Dropped if the client is destroyed
  // first. For layers built on the client (the Signaling facade) that need timers and deferred work.
  void run_on_dispatcher(uint32_t delay_ms, std::function<void()> fn);

  struct Impl;  // the engine (opaque)

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace rtm
