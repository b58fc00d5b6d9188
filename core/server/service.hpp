// The RTM service logic of one connection (Conn), independent of the transport below it, and the
// state all connections share (ServerCore). Every Conn member runs on the connection's strand; the
// public entry points post onto it.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/protocol/codec.hpp"
#include "core/server/config.hpp"
#include "core/server/metrics.hpp"
#include "core/server/registry.hpp"
#include "core/server/state.hpp"
#include "core/server/store.hpp"

namespace rtm::server {

using Frame = std::shared_ptr<const std::string>;
struct Delivery;

inline constexpr std::size_t kMaxHeldEvents = 256;

// Wall-clock milliseconds since the Unix epoch (message timestamps, events).
inline int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The user and channel events the REST API hands out (GET vendor/user_events, channel_events): per
// app, the newest `kept` of each kind; a read takes (and removes) the oldest ones.
class EventLog {
 public:
  struct Event {
    int64_t ms;
    const char* type;    // Login, Logout, Join, Leave
    std::string user, channel;
  };
  void add_user(const std::string& app, const char* type, const std::string& user, std::size_t kept);
  void add_channel(const std::string& app, const char* type, const std::string& channel, const std::string& user,
                   std::size_t kept);
  std::vector<Event> take_user(const std::string& app, std::size_t max);
  std::vector<Event> take_channel(const std::string& app, std::size_t max);

 private:
  struct Logs {
    std::deque<Event> user, channel;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Logs> apps_;
};

struct ServerCore {
  ServerConfig cfg;
  std::unordered_map<std::string, AppConfig> apps;  // empty: any app, no token
  Registry registry;                                // (app, uid) -> attached connection
  std::unique_ptr<OfflineStore> store;
  std::string version = std::string("rtmd/") + project_version();
  Metrics metrics;
  // One I/O thread runs everything in order, so connections need no strands of their own.
  bool single_thread = false;

  ShardedMap<std::shared_ptr<UserRecord>> users;    // (app, uid) -> session state, also during grace
  ShardedMap<std::shared_ptr<Channel>> channels;    // (app, channel) -> channel
  ShardedMap<std::set<std::string>> watchers;       // (app, uid) -> uids subscribed to its presence

  std::mutex inv_mu;
  std::map<std::string, Invitation> invitations;    // app \n caller \n id

  std::mutex login_mu;
  std::unordered_map<std::string, RateWindow> login_rates;

  std::mutex dirty_mu;
  std::vector<std::weak_ptr<Channel>> dirty_channels;  // member count changed
  std::mutex grace_mu;
  std::vector<std::weak_ptr<UserRecord>> in_grace;
  Clock::time_point last_scan{};

  // Sends an encoded frame to the connection of (app, uid); while the user is in its grace period
  // the frame is held and sent after the resume.
  void send_to(const std::string& key, const Frame& frame, bool binary);
  // Sends a channel-scoped frame to every member except `except_uid`; returns to how many connections.
  std::size_t broadcast(Channel& ch, const std::shared_ptr<const std::vector<std::string>>& keys, const Frame& frame,
                 bool binary, const std::string& except_key);
  void notify_presence(const std::string& app, const std::string& uid, PeerState state);
  void unwatch(const std::string& app, const std::string& target, const std::string& watcher);
  PeerState presence_of(const std::string& app, const std::string& uid);
  std::shared_ptr<Channel> channel(const std::string& app, const std::string& id, bool create);
  // The channel (created when missing) with its mutex locked, never one that is being erased: a
  // write under the returned lock (a join, attributes) cannot be lost with an erased channel.
  std::shared_ptr<Channel> lock_channel(const std::string& app, const std::string& id, std::unique_lock<std::mutex>& lock);
  // Removes `uid` from a channel, announcing it to the others.
  void leave_channel(const std::string& app, const std::string& uid, const std::string& ch_id);
  // Ends a user session: leaves its channels, drops its subscriptions and attributes.
  // With `expiring`, only a session still detached is ended (a resume may have just taken it).
  void end_user(const std::shared_ptr<UserRecord>& u, bool announce_offline, bool expiring = false);
  void mark_count_dirty(const std::shared_ptr<Channel>& ch);
  // Periodic work: grace expiry, member counts, invitation deadlines, empty channels.
  void housekeeping();
  void invitation_failed(const Invitation& inv, int caller_reason, int callee_reason);
  // A peer message for (app, to): to its connection, or else stored or failed (undelivered).
  void deliver_peer(const std::string& app, const std::string& to, std::shared_ptr<Delivery> d);
  // The receiver is not (or no longer) connected: the message is stored if its sender asked for that
  // (CACHED_BY_SERVER once committed), else the sender gets PEER_UNREACHABLE.
  void undelivered(Delivery& d);
  // Makes `m` the channel's next message: its sequence number, its frame (encoded once for every
  // member) kept in the recovery ring; `keys` gets the members to broadcast it to.
  Frame sequence_channel_message(Channel& ch, proto::Frame& m, bool& binary,
                                 std::shared_ptr<const std::vector<std::string>>& keys);

  EventLog events;  // login/logout and join/leave events for the REST API
  std::mutex rest_mu;  // the REST API's per-app rate windows
  std::unordered_map<std::string, RateWindow> rest_message_rates, rest_event_rates;
  void deliver_pending_invitations(const std::string& app, const std::string& callee);
};

// The store's copy of the peer message `m` (a msg frame, already encoded: its text and payload are
// moved out) for the receiver `to`.
std::shared_ptr<StoredMessage> offline_record(const std::string& app, const std::string& to, proto::Frame& m);

// Who learns the result of a peer message: the sending connection, or a REST call.
class ResultSink {
 public:
  virtual ~ResultSink() = default;
  // Any thread; `code` is a PeerMessageErr.
  virtual void complete(int64_t req_id, int code) = 0;
};

// A peer message on its way to one receiver. The encoded frame is immutable and shared.
struct Delivery {
  Frame frame;
  bool binary = false;
  std::weak_ptr<ResultSink> sender;
  int64_t req_id = 0;
  std::shared_ptr<StoredMessage> offline;  // set when the sender enabled offline messaging
  int64_t rowid = 0;                       // set when the message comes from the offline store
};

class Conn : public ResultSink, public std::enable_shared_from_this<Conn> {
 public:
  Conn(ServerCore& core, boost::asio::any_io_executor strand);
  virtual ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  // Thread-safe entry points.
  void deliver(std::shared_ptr<Delivery> d);
  void deliver_channel(const std::string& ch, Frame frame, bool binary);
  void send_shared(Frame frame, bool binary);
  void complete(int64_t req_id, int code) override;
  void kick(int reason);
  void shutdown();
  void poke_offline();

 protected:
  // Called by the transport, on the strand.
  void on_open();
  void on_message(std::string_view data, bool binary);
  void on_closed();

  // Implemented by the transport, called on the strand.
  virtual void write(Frame data, bool binary) = 0;
  virtual void close(uint16_t code, std::string_view reason) = 0;

  ServerCore& core_;
  boost::asio::any_io_executor strand_;

 private:
  void handle_login(proto::Frame& f);
  void handle_logout(proto::Frame& f);
  void handle_renew(proto::Frame& f);
  void handle_peer(proto::Frame& f);
  void handle_ack(proto::Frame& f);
  void handle_join(proto::Frame& f);
  void handle_leave(proto::Frame& f);
  void handle_cmsg(proto::Frame& f);
  void handle_members(proto::Frame& f);
  void handle_count(proto::Frame& f);
  void handle_chinfo(proto::Frame& f);
  void handle_presence(proto::Frame& f);
  void handle_user_attrs(proto::Frame& f);
  void handle_channel_attrs(proto::Frame& f);
  void handle_invitation(proto::Frame& f);
  void handle_inv_ack(proto::Frame& f);
  bool allow(const Rate& r, RateWindow& w);
  const RateLimits& limits() const;
  void reply(int64_t id, int code);
  void reply(proto::Frame& r);
  void reply_login_ok(int64_t id);
  // Replies that are also counted in the metrics by their result.
  void login_refused(int64_t id, LoginErr e);
  void peer_result(int64_t id, PeerMessageErr e);
  void channel_result(int64_t id, ChannelMessageErr e);
  void protocol_error(int64_t id, int code, std::string_view detail);
  void send_frame(const proto::Frame& f);
  void push_delivery(std::shared_ptr<Delivery> d);
  void resolve(Delivery& d);
  void fetch_offline();
  void set_token_expiry(uint32_t expires_at);
  void rearm_timer();
  void on_timer();

  boost::asio::steady_timer timer_;
  Clock::time_point login_deadline_;
  bool logged_in_ = false;
  bool closed_ = false;
  bool ended_ = false;  // logout or kick: the session does not enter the grace period
  std::string app_;
  std::string uid_;
  std::string key_;
  std::shared_ptr<UserRecord> user_;
  std::set<std::string> joined_here_;  // channels joined (or rejoined) on this connection

  // Token lifetime (007 tokens of apps with a certificate).
  Clock::time_point token_warn_at_ = Clock::time_point::max();
  Clock::time_point token_expire_at_ = Clock::time_point::max();

  // Requests this connection sent that wait for a receiver's ack: id -> deadline order.
  std::unordered_set<int64_t> pending_ids_;
  Fifo<std::pair<Clock::time_point, int64_t>> pending_order_;

  // Messages written to this connection, not yet acknowledged, in the order written.
  Fifo<std::shared_ptr<Delivery>> unacked_;
  uint64_t msgs_written_ = 0;
  uint64_t msgs_acked_ = 0;
  std::unordered_set<int64_t> offline_seen_;  // store rows already written on this connection

  struct Rates {
    RateWindow renew, messages, join, members, count, query, sub, unsub, subs, uattr_w, uattr_r, cattr_w, cattr_r;
    std::unordered_map<std::string, RateWindow> join_same;
  };
  std::unique_ptr<Rates> rates_;  // made on first use: most connections are idle most of the time
  Rates& rates() {
    if (!rates_) rates_ = std::make_unique<Rates>();
    return *rates_;
  }
};

}  // namespace rtm::server
