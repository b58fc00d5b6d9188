// Test support: an in-process rtmd on ephemeral ports, and a client handler that records every
// callback so tests can wait for them.
#pragma once
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "core/client/client.hpp"
#include "core/server/server.hpp"

namespace rtm::test {

inline std::string temp_dir(const std::string& tag) {
  static std::mt19937_64 rng{std::random_device{}()};
  auto p = std::filesystem::temp_directory_path() / ("rtmkit-" + tag + "-" + std::to_string(rng()));
  std::filesystem::create_directories(p);
  return p.string();
}

inline server::ServerConfig test_config(const std::string& data_dir) {
  server::ServerConfig cfg;
  cfg.listen = {{"127.0.0.1", 0, false}, {"127.0.0.1", 0, true}};
  cfg.dev = true;
  cfg.data_dir = data_dir;
  cfg.io_threads = 2;
  cfg.log_level = "warn";
  return cfg;
}

struct Received {
  std::string from;
  Message msg;
};

// Records callbacks; every wait_* helper waits up to `timeout` for a condition on the record.
class Recorder : public EventHandler {
 public:
  std::vector<std::pair<ConnectionState, ConnectionChangeReason>> states;
  std::vector<LoginErr> login_failures;
  int login_successes = 0;
  std::vector<LogoutErr> logouts;
  std::vector<std::pair<int64_t, PeerMessageErr>> results;
  std::vector<Received> messages;
  std::vector<std::pair<std::string, RenewTokenErr>> renewals;
  int token_expired = 0;
  std::function<void(const Received&)> on_message;

  void on_connection_state_changed(ConnectionState s, ConnectionChangeReason r) override { add([&] { states.emplace_back(s, r); }); }
  void on_login_success() override { add([&] { ++login_successes; }); }
  void on_login_failure(LoginErr e) override { add([&] { login_failures.push_back(e); }); }
  void on_logout(LogoutErr e) override { add([&] { logouts.push_back(e); }); }
  void on_renew_token_result(const std::string& t, RenewTokenErr e) override { add([&] { renewals.emplace_back(t, e); }); }
  void on_token_expired() override { add([&] { ++token_expired; }); }
  void on_send_message_result(int64_t id, PeerMessageErr e) override { add([&] { results.emplace_back(id, e); }); }
  void on_message_received_from_peer(const std::string& peer, const Message& m) override {
    Received r{peer, m};
    if (on_message) on_message(r);
    add([&] { messages.push_back(std::move(r)); });
  }

  template <class Pred>
  bool wait(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return pred(); });
  }
  bool wait_state(ConnectionState s, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return wait([&] { return !states.empty() && states.back().first == s; }, timeout);
  }
  bool wait_result(int64_t id, PeerMessageErr& out, std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
    return wait([&] {
      for (auto& [i, e] : results)
        if (i == id) { out = e; return true; }
      return false;
    }, timeout);
  }
  bool wait_messages(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return wait([&] { return messages.size() >= n; }, timeout);
  }
  template <class F>
  auto locked(F f) {
    std::lock_guard lock(mu_);
    return f();
  }

 private:
  template <class F>
  void add(F f) {
    {
      std::lock_guard lock(mu_);
      f();
    }
    cv_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable cv_;
};

// A client with its recorder.
struct TestClient {
  Recorder rec;
  std::unique_ptr<Client> client;

  TestClient(const std::string& url, const std::string& app = "testapp", ClientConfig base = {}) {
    base.app_id = app;
    base.url = url;
    base.tls_insecure_skip_verify = true;
    client = std::make_unique<Client>(base, &rec);
  }
  ~TestClient() { client.reset(); }  // stops callbacks before the recorder goes away

  bool login(const std::string& uid, const std::string& token = "") {
    if (client->login(token, uid) != 0) return false;
    return rec.wait_state(ConnectionState::CONNECTED) || false;
  }
  PeerMessageErr send(const std::string& to, const Message& m, bool offline = false) {
    int64_t id = 0;
    SendMessageOptions o;
    o.enable_offline_messaging = offline;
    int rc = client->send_message_to_peer(to, m, o, &id);
    if (rc != 0) return static_cast<PeerMessageErr>(rc);
    PeerMessageErr e = PeerMessageErr::FAILURE;
    if (!rec.wait_result(id, e)) ADD_FAILURE() << "no send result for message " << id;
    return e;
  }
};

// An rtmd in this process.
struct TestServer {
  std::string dir;
  std::unique_ptr<server::Server> server;

  explicit TestServer(std::function<void(server::ServerConfig&)> tweak = {}, std::string data_dir = {}) {
    dir = data_dir.empty() ? temp_dir("srv") : data_dir;
    auto cfg = test_config(dir);
    if (tweak) tweak(cfg);
    server = std::make_unique<server::Server>(cfg);
    server->start();
  }
  std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(server->port(false)); }
  std::string wss_url() const { return "wss://127.0.0.1:" + std::to_string(server->port(true)); }
};

}  // namespace rtm::test
