#include "core/server/registry.hpp"

#include <functional>

namespace rtm::server {

Registry::Shard& Registry::shard(const std::string& key) const {
  return shards_[std::hash<std::string>{}(key) % shards_.size()];
}

std::shared_ptr<Conn> Registry::bind(const std::string& key, const std::shared_ptr<Conn>& c) {
  auto& s = shard(key);
  std::lock_guard lock(s.mu);
  auto& slot = s.map[key];
  auto prev = slot.lock();
  slot = c;
  return prev;
}

void Registry::unbind(const std::string& key, const Conn* c) {
  auto& s = shard(key);
  std::lock_guard lock(s.mu);
  auto it = s.map.find(key);
  if (it == s.map.end()) return;
  auto cur = it->second.lock();
  if (!cur || cur.get() == c) s.map.erase(it);
}

std::shared_ptr<Conn> Registry::find(const std::string& key) const {
  auto& s = shard(key);
  std::lock_guard lock(s.mu);
  auto it = s.map.find(key);
  return it == s.map.end() ? nullptr : it->second.lock();
}

std::size_t Registry::size() const {
  std::size_t n = 0;
  for (auto& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.map.size();
  }
  return n;
}

}  // namespace rtm::server
