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
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/protocol/codec.hpp"
#include "core/server/config.hpp"
#include "core/server/registry.hpp"
#include "core/server/store.hpp"

namespace rtm::server {

struct ServerCore {
  ServerConfig cfg;
  std::unordered_map<std::string, AppConfig> apps;  // empty: any app, no token
  Registry registry;
  std::unique_ptr<OfflineStore> store;
  std::string version = "rtmd/0.1.0";
};

// A peer message on its way to one receiver. The encoded frame is immutable and shared.
struct Delivery {
  std::shared_ptr<const std::string> frame;
  bool binary = false;
  std::weak_ptr<Conn> sender;
  int64_t req_id = 0;
  std::shared_ptr<StoredMessage> offline;  // set when the sender enabled offline messaging
  int64_t rowid = 0;                       // set when the message comes from the offline store
};

class Conn : public std::enable_shared_from_this<Conn> {
 public:
  using Clock = std::chrono::steady_clock;

  Conn(ServerCore& core, boost::asio::any_io_executor strand);
  virtual ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  // Thread-safe entry points.
  void deliver(std::shared_ptr<Delivery> d);
  void complete(int64_t req_id, int code);
  void kick(int reason);
  void shutdown();
  void poke_offline();

 protected:
  // Called by the transport, on the strand.
  void on_open();
  void on_message(std::string_view data, bool binary);
  void on_closed();

  // Implemented by the transport, called on the strand.
  virtual void write(std::shared_ptr<const std::string> data, bool binary) = 0;
  virtual void close(uint16_t code, std::string_view reason) = 0;

  ServerCore& core_;
  boost::asio::any_io_executor strand_;

 private:
  void handle_login(proto::Frame& f);
  void handle_logout(proto::Frame& f);
  void handle_renew(proto::Frame& f);
  void handle_peer(proto::Frame& f);
  void handle_ack(proto::Frame& f);
  void reply(int64_t id, int code);
  void reply_login_ok(int64_t id);
  void protocol_error(int64_t id, int code, std::string_view detail);
  void send_frame(const proto::Frame& f);
  void push_delivery(std::shared_ptr<Delivery> d);
  void resolve(Delivery& d);
  void fail_undelivered(Delivery& d);
  void fetch_offline();
  void rearm_timer();
  void on_timer();

  boost::asio::steady_timer timer_;
  Clock::time_point login_deadline_;
  bool logged_in_ = false;
  bool closed_ = false;
  std::string app_;
  std::string uid_;
  std::string key_;

  // Requests this connection sent that wait for a receiver's ack: id -> deadline order.
  std::unordered_set<int64_t> pending_ids_;
  std::deque<std::pair<Clock::time_point, int64_t>> pending_order_;

  // Messages written to this connection, not yet acknowledged, in the order written.
  std::deque<std::shared_ptr<Delivery>> unacked_;
  uint64_t msgs_written_ = 0;
  uint64_t msgs_acked_ = 0;
  std::unordered_set<int64_t> offline_seen_;  // store rows already written on this connection
};

}  // namespace rtm::server
