// Who is logged in where: (app, user id) -> the live connection. Sharded so that lookups on the
// message path never contend on one lock.
#pragma once
#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace rtm::server {

class Conn;

class Registry {
 public:
  static std::string key(const std::string& app, const std::string& uid) { return app + '\n' + uid; }

  // Binds `key` to `c` and returns the connection it replaces (null if none was live).
  std::shared_ptr<Conn> bind(const std::string& key, const std::shared_ptr<Conn>& c);
  // Removes `key` only while it is still bound to `c`.
  void unbind(const std::string& key, const Conn* c);
  std::shared_ptr<Conn> find(const std::string& key) const;
  std::size_t size() const;

 private:
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, std::weak_ptr<Conn>> map;
  };
  Shard& shard(const std::string& key) const;
  mutable std::array<Shard, 64> shards_;
};

}  // namespace rtm::server
