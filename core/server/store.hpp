// The durable offline-message store. One writer thread owns the SQLite connection; callers enqueue
// work and get completions on that thread (they re-post to their own strand).
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct sqlite3;

namespace rtm::server {

struct StoredMessage {
  int64_t rowid = 0;       // assigned by the store
  std::string app;
  std::string to;
  std::string from;
  int type = 1;
  std::string text;
  std::string payload;
  int64_t mid = 0;         // the sender's message id
  int64_t ts = 0;          // serverReceivedTs, ms
};

struct StoreOptions {
  std::string path;              // the SQLite file
  uint32_t max_per_user = 200;   // newest replaces oldest
  uint32_t ttl_seconds = 7 * 24 * 3600;
  bool sync = true;              // synchronous=FULL: committed means on disk
};

class OfflineStore {
 public:
  explicit OfflineStore(StoreOptions opts);  // throws std::runtime_error when the file cannot be opened
  ~OfflineStore();
  OfflineStore(const OfflineStore&) = delete;
  OfflineStore& operator=(const OfflineStore&) = delete;

  // Stores `m`; `done(ok)` runs once the transaction holding it is committed (and synced).
  void put(StoredMessage m, std::function<void(bool ok)> done);
  // All unexpired messages for (app, to), oldest first.
  void fetch(std::string app, std::string to, std::function<void(std::vector<StoredMessage>)> done);
  // Deletes delivered messages.
  void remove(std::vector<int64_t> rowids);
  // Blocks until everything enqueued so far is committed.
  void flush();
  // False once the latest transaction failed to commit (a full or read-only disk), true again after
  // one succeeds.
  bool healthy() const { return healthy_.load(std::memory_order_relaxed); }

 private:
  struct Job {
    enum Kind { put, fetch, remove, flush } kind;
    StoredMessage msg;
    std::vector<int64_t> ids;
    std::function<void(bool)> done_put;
    std::function<void(std::vector<StoredMessage>)> done_fetch;
  };
  void run();
  void exec(const char* sql);
  void process(std::deque<Job>& batch);
  void purge_expired();

  StoreOptions opts_;
  sqlite3* db_ = nullptr;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stop_ = false;
  std::thread thread_;
  std::atomic<bool> healthy_{true};
};

}  // namespace rtm::server
