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
  // Events addressed to the user while it had no connection (grace period), sent after its resume.
  std::vector<std::pair<std::shared_ptr<const std::string>, bool>> held;
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
  bool gone = false;  // erased from ServerCore::channels: a join or attribute write must find the new one
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
  Clock::time_point end_by = Clock::time_point::max();  // the caller's ttl: fails then, whatever the stage
};

// A token bucket for one rate limit: `count` operations, refilled evenly over `window_ms`.
// Sixteen bytes and no allocation, so that idle connections stay small.
class RateWindow {
 public:
  bool allow(const Rate& r, Clock::time_point now);

 private:
  double tokens_ = -1;  // -1: not used yet (full)
  Clock::time_point last_{};
};

// A FIFO over a vector: unlike std::deque it allocates nothing until the first push, and keeps its
// (small) capacity once drained, so idle connections cost little and busy ones do not reallocate.
template <class T>
class Fifo {
 public:
  bool empty() const { return head_ == v_.size(); }
  std::size_t size() const { return v_.size() - head_; }
  T& front() { return v_[head_]; }
  const T& front() const { return v_[head_]; }
  T& operator[](std::size_t i) { return v_[head_ + i]; }
  template <class... A>
  void emplace_back(A&&... a) { v_.emplace_back(std::forward<A>(a)...); }
  void push_back(T x) { v_.push_back(std::move(x)); }
  void pop_front() {
    v_[head_] = T{};
    if (++head_ == v_.size()) {
      v_.clear();
      head_ = 0;
    } else if (head_ >= 64 && head_ * 2 >= v_.size()) {
      v_.erase(v_.begin(), v_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }
  void clear() {
    v_.clear();
    head_ = 0;
  }
  // Drops everything behind the front element.
  void truncate_after_front() {
    if (!empty()) v_.resize(head_ + 1);
  }
  template <class F>
  void for_each(F f) {
    for (std::size_t i = head_; i < v_.size(); ++i) f(v_[i]);
  }

 private:
  std::vector<T> v_;
  std::size_t head_ = 0;
};

}  // namespace rtm::server
