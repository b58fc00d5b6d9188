// Server-wide state shared by connections: users (surviving a dropped connection for the grace
// period), channels, presence watchers, invitations, and per-client rate limiting. Each object has
// its own small lock; nothing here is one global lock on the message path.
#pragma once
#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/protocol/codec.hpp"
#include "core/server/config.hpp"

namespace rtm::server {

class Conn;
using Clock = std::chrono::steady_clock;

// A hash map split into shards with a mutex each.
template <class V>
class ShardedMap {
 public:
  V find(const std::string& k) const {
    auto& s = shard(k);
    std::lock_guard l(s.mu);
    auto it = s.map.find(k);
    return it == s.map.end() ? V{} : it->second;
  }
  // Runs f(slot) with the shard locked; the slot is created default-constructed when missing.
  template <class F>
  auto with(const std::string& k, F f) {
    auto& s = shard(k);
    std::lock_guard l(s.mu);
    return f(s.map[k]);
  }
  // Erases k when pred(value) holds.
  template <class P>
  bool erase_if(const std::string& k, P pred) {
    auto& s = shard(k);
    std::lock_guard l(s.mu);
    auto it = s.map.find(k);
    if (it == s.map.end() || !pred(it->second)) return false;
    s.map.erase(it);
    return true;
  }
  template <class F>
  void for_each(F f) const {
    for (auto& s : shards_) {
      std::lock_guard l(s.mu);
      for (auto& [k, v] : s.map) f(k, v);
    }
  }

 private:
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, V> map;
  };
  Shard& shard(const std::string& k) const { return shards_[std::hash<std::string>{}(k) % shards_.size()]; }
  mutable std::array<Shard, 64> shards_;
};

// A logged-in user: outlives its connection by the grace period so that a reconnect resumes it.
struct UserRecord {
  std::string app, uid, key;
  std::string sid;                             // the SDK instance that owns the session
  std::mutex mu;
  std::weak_ptr<Conn> conn;                    // the attached connection; empty while in grace
  bool attached = true;
  bool ended = false;                          // logged out, replaced or expired
  Clock::time_point grace_deadline{};
  std::map<std::string, std::string> attrs;    // user attributes
  std::set<std::string> channels;              // joined channel ids
  std::set<std::string> subscriptions;         // user ids whose presence this user watches
};

struct RecentMessage {
  uint64_t seq;
  Clock::time_point at;
  std::shared_ptr<const std::string> frame;
  bool binary;
};

struct Channel {
  std::string app, id, key;
  std::mutex mu;
  std::map<std::string, uint64_t> members;                 // uid -> join order
  uint64_t join_counter = 0;
  std::shared_ptr<const std::vector<std::string>> member_keys =  // registry keys; replaced, never mutated
      std::make_shared<const std::vector<std::string>>();
  uint64_t next_seq = 0;
  std::deque<RecentMessage> recent;
  std::map<std::string, proto::Attr> attrs;
  bool count_dirty = false;
  Clock::time_point count_sent{};
  Clock::time_point empty_since{};

  void rebuild_keys();  // after a membership change, with mu held
};

// Presence states as RTM numbers them.
enum class PeerState : int { ONLINE = 0, UNREACHABLE = 1, OFFLINE = 2 };

struct Invitation {
  enum class Stage { waiting_online, delivered, acknowledged } stage = Stage::waiting_online;
  std::string app, caller, callee, content, channel;
  int64_t id = 0;
  Clock::time_point deadline;
};

// Sliding-window counter for one rate limit.
class RateWindow {
 public:
  bool allow(const Rate& r, Clock::time_point now);

 private:
  std::deque<Clock::time_point> hits_;
};

}  // namespace rtm::server
