#include <sqlite3.h>

#include <chrono>
#include <future>
#include <stdexcept>

#include "core/common/log.hpp"
#include "core/server/store.hpp"

namespace rtm::server {
namespace {

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// A prepared statement that resets itself on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("sqlite prepare: ") + sqlite3_errmsg(db));
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  sqlite3_stmt* get() { return s_; }
  void text(int i, const std::string& v) { sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC); }
  void blob(int i, const std::string& v) { sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC); }
  void i64(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); }
  int step() { return sqlite3_step(s_); }
  void reset() { sqlite3_reset(s_); sqlite3_clear_bindings(s_); }
  std::string col_text(int i) {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_blob(s_, i));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, i))) : std::string();
  }

 private:
  sqlite3_stmt* s_ = nullptr;
};

}  // namespace

OfflineStore::OfflineStore(StoreOptions opts) : opts_(std::move(opts)) {
  if (sqlite3_open_v2(opts_.path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string err = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open store " + opts_.path + ": " + err);
  }
  sqlite3_busy_timeout(db_, 5000);
  exec("PRAGMA journal_mode=WAL");
  exec(opts_.sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF");
  exec("CREATE TABLE IF NOT EXISTS offline("
       " id INTEGER PRIMARY KEY AUTOINCREMENT, app TEXT NOT NULL, rcv TEXT NOT NULL, snd TEXT NOT NULL,"
       " type INTEGER NOT NULL, text BLOB, payload BLOB, mid INTEGER NOT NULL, ts INTEGER NOT NULL)");
  exec("CREATE INDEX IF NOT EXISTS offline_rcv ON offline(app, rcv, id)");
  exec("CREATE INDEX IF NOT EXISTS offline_ts ON offline(ts)");
  thread_ = std::thread([this] { run(); });
}

OfflineStore::~OfflineStore() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  sqlite3_close(db_);
}

void OfflineStore::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error(std::string("sqlite: ") + msg + " in: " + sql);
  }
}

void OfflineStore::put(StoredMessage m, std::function<void(bool)> done) {
  Job j{Job::put, std::move(m), {}, std::move(done), {}};
  { std::lock_guard lock(mu_); queue_.push_back(std::move(j)); }
  cv_.notify_one();
}

void OfflineStore::fetch(std::string app, std::string to, std::function<void(std::vector<StoredMessage>)> done) {
  Job j{Job::fetch, {}, {}, {}, std::move(done)};
  j.msg.app = std::move(app);
  j.msg.to = std::move(to);
  { std::lock_guard lock(mu_); queue_.push_back(std::move(j)); }
  cv_.notify_one();
}

void OfflineStore::remove(std::vector<int64_t> rowids) {
  if (rowids.empty()) return;
  Job j{Job::remove, {}, std::move(rowids), {}, {}};
  { std::lock_guard lock(mu_); queue_.push_back(std::move(j)); }
  cv_.notify_one();
}

void OfflineStore::flush() {
  std::promise<bool> p;
  auto f = p.get_future();
  Job j{Job::flush, {}, {}, [&p](bool ok) { p.set_value(ok); }, {}};
  { std::lock_guard lock(mu_); queue_.push_back(std::move(j)); }
  cv_.notify_one();
  f.wait();
}

void OfflineStore::run() {
  auto next_purge = std::chrono::steady_clock::now();
  for (;;) {
    std::deque<Job> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait_until(lock, next_purge, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty() && stop_) return;
      batch.swap(queue_);
    }
    process(batch);
    // Messages past their lifetime go even for receivers who never log in again.
    if (std::chrono::steady_clock::now() >= next_purge) {
      purge_expired();
      next_purge = std::chrono::steady_clock::now() + std::chrono::minutes(10);
    }
  }
}

void OfflineStore::purge_expired() {
  Stmt del(db_, "DELETE FROM offline WHERE ts < ?");
  del.i64(1, now_ms() - int64_t(opts_.ttl_seconds) * 1000);
  if (del.step() != SQLITE_DONE) RTM_LOG(warn, "store", "purge failed: " << sqlite3_errmsg(db_));
}

// One transaction for every write in the batch (group commit); reads run in order between them, so a
// fetch always sees every put enqueued before it.
void OfflineStore::process(std::deque<Job>& batch) {
  std::vector<std::function<void(bool)>> committed;
  bool in_tx = false;
  bool tx_ok = true;
  auto begin = [&] {
    if (!in_tx) { exec("BEGIN IMMEDIATE"); in_tx = true; tx_ok = true; }
  };
  auto commit = [&] {
    if (!in_tx) return;
    in_tx = false;
    if (tx_ok && sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK) {
      healthy_.store(true, std::memory_order_relaxed);
      for (auto& d : committed) if (d) d(true);
    } else {
      healthy_.store(false, std::memory_order_relaxed);
      RTM_LOG(error, "store", "commit failed: " << sqlite3_errmsg(db_));
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      for (auto& d : committed) if (d) d(false);
    }
    committed.clear();
  };

  Stmt ins(db_, "INSERT INTO offline(app, rcv, snd, type, text, payload, mid, ts) VALUES(?,?,?,?,?,?,?,?)");
  Stmt trim(db_, "DELETE FROM offline WHERE app=?1 AND rcv=?2 AND id NOT IN "
                 "(SELECT id FROM offline WHERE app=?1 AND rcv=?2 ORDER BY id DESC LIMIT ?3)");
  Stmt del(db_, "DELETE FROM offline WHERE id=?");
  Stmt sel(db_, "SELECT id, snd, type, text, payload, mid, ts FROM offline WHERE app=? AND rcv=? ORDER BY id");
  Stmt expire(db_, "DELETE FROM offline WHERE app=? AND rcv=? AND ts < ?");

  for (auto& j : batch) {
    try {
      switch (j.kind) {
        case Job::put: {
          begin();
          ins.text(1, j.msg.app); ins.text(2, j.msg.to); ins.text(3, j.msg.from);
          ins.i64(4, j.msg.type); ins.blob(5, j.msg.text); ins.blob(6, j.msg.payload);
          ins.i64(7, j.msg.mid); ins.i64(8, j.msg.ts);
          if (ins.step() != SQLITE_DONE) tx_ok = false;
          ins.reset();
          trim.text(1, j.msg.app); trim.text(2, j.msg.to); trim.i64(3, opts_.max_per_user);
          if (trim.step() != SQLITE_DONE) tx_ok = false;
          trim.reset();
          committed.push_back(std::move(j.done_put));
          break;
        }
        case Job::remove: {
          begin();
          for (auto id : j.ids) {
            del.i64(1, id);
            del.step();
            del.reset();
          }
          break;
        }
        case Job::fetch: {
          commit();  // make earlier puts visible and durable first
          int64_t cutoff = now_ms() - int64_t(opts_.ttl_seconds) * 1000;
          expire.text(1, j.msg.app); expire.text(2, j.msg.to); expire.i64(3, cutoff);
          expire.step();
          expire.reset();
          std::vector<StoredMessage> out;
          sel.text(1, j.msg.app); sel.text(2, j.msg.to);
          while (sel.step() == SQLITE_ROW) {
            StoredMessage m;
            m.rowid = sqlite3_column_int64(sel.get(), 0);
            m.app = j.msg.app;
            m.to = j.msg.to;
            m.from = sel.col_text(1);
            m.type = sqlite3_column_int(sel.get(), 2);
            m.text = sel.col_text(3);
            m.payload = sel.col_text(4);
            m.mid = sqlite3_column_int64(sel.get(), 5);
            m.ts = sqlite3_column_int64(sel.get(), 6);
            out.push_back(std::move(m));
          }
          sel.reset();
          if (j.done_fetch) j.done_fetch(std::move(out));
          break;
        }
        case Job::flush:
          commit();
          if (j.done_put) j.done_put(true);
          break;
      }
    } catch (const std::exception& e) {
      RTM_LOG(error, "store", e.what());
      tx_ok = false;
      if (j.kind == Job::put) committed.push_back(std::move(j.done_put));
      if (j.kind == Job::fetch && j.done_fetch) j.done_fetch({});
      if (j.kind == Job::flush && j.done_put) j.done_put(false);
    }
  }
  commit();
}

}  // namespace rtm::server
