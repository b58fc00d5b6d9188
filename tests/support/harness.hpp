// Test support: an in-process rtmd on ephemeral ports, and a client handler that records every
// callback so tests can wait for them.
#pragma once
#include <cstdlib>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <algorithm>
#include <functional>
#include <map>
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
  // Two I/O threads (connections on strands) unless RTM_TEST_IO_THREADS says otherwise; with one,
  // connections run without strands.
  const char* threads = std::getenv("RTM_TEST_IO_THREADS");
  cfg.io_threads = threads && *threads ? static_cast<unsigned>(std::atoi(threads)) : 2;
  cfg.log_level = "warn";
  server::disable_rate_limits(cfg.rate);  // tests that check a limit turn it back on
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
  int token_will_expire = 0;
  std::function<void(const Received&)> on_message;
  std::vector<PeerOnlineStatus> presence;
  std::map<int64_t, int> codes;  // request id -> result code, for every request-result callback
  std::map<int64_t, std::vector<PeerOnlineStatus>> queries;
  std::map<int64_t, std::vector<std::string>> id_lists;
  std::map<int64_t, std::vector<Attribute>> user_attrs;
  std::map<int64_t, std::vector<ChannelAttribute>> channel_attrs;
  std::map<int64_t, std::vector<ChannelMemberCount>> counts;
  std::vector<std::string> inv_events;  // "local_received", "remote_failure:3", ...
  std::vector<RemoteInvitationPtr> remote_invitations;

  void on_connection_state_changed(ConnectionState s, ConnectionChangeReason r) override { add([&] { states.emplace_back(s, r); }); }
  void on_login_success() override { add([&] { ++login_successes; }); }
  void on_login_failure(LoginErr e) override { add([&] { login_failures.push_back(e); }); }
  void on_logout(LogoutErr e) override { add([&] { logouts.push_back(e); }); }
  void on_renew_token_result(const std::string& t, RenewTokenErr e) override { add([&] { renewals.emplace_back(t, e); }); }
  void on_token_expired() override { add([&] { ++token_expired; }); }
  void on_send_message_result(int64_t id, PeerMessageErr e) override { add([&] { results.emplace_back(id, e); }); }
  void on_token_privilege_will_expire() override { add([&] { ++token_will_expire; }); }
  void on_peers_online_status_changed(const std::vector<PeerOnlineStatus>& st) override {
    add([&] { presence.insert(presence.end(), st.begin(), st.end()); });
  }
  void on_query_peers_online_status_result(int64_t id, const std::vector<PeerOnlineStatus>& st,
                                           QueryPeersOnlineStatusErr e) override {
    add([&] { queries[id] = st; codes[id] = static_cast<int>(e); });
  }
  void on_subscription_request_result(int64_t id, PeerSubscriptionStatusErr e) override { code(id, e); }
  void on_query_peers_by_subscription_option_result(int64_t id, const std::vector<std::string>& ids,
                                                    QueryPeersBySubscriptionOptionErr e) override {
    add([&] { id_lists[id] = ids; codes[id] = static_cast<int>(e); });
  }
  void on_set_local_user_attributes_result(int64_t id, AttributeOperationErr e) override { code(id, e); }
  void on_add_or_update_local_user_attributes_result(int64_t id, AttributeOperationErr e) override { code(id, e); }
  void on_delete_local_user_attributes_result(int64_t id, AttributeOperationErr e) override { code(id, e); }
  void on_clear_local_user_attributes_result(int64_t id, AttributeOperationErr e) override { code(id, e); }
  void on_get_user_attributes_result(int64_t id, const std::string&, const std::vector<Attribute>& a,
                                     AttributeOperationErr e) override {
    add([&] { user_attrs[id] = a; codes[id] = static_cast<int>(e); });
  }
  void on_set_channel_attributes_result(int64_t id, AttributeOperationErr e) override { code(id, e); }
  void on_add_or_update_channel_attributes_result(int64_t id, AttributeOperationErr e) override { code(id, e); }
  void on_delete_channel_attributes_result(int64_t id, AttributeOperationErr e) override { code(id, e); }
  void on_clear_channel_attributes_result(int64_t id, AttributeOperationErr e) override { code(id, e); }
  void on_get_channel_attributes_result(int64_t id, const std::vector<ChannelAttribute>& a,
                                        AttributeOperationErr e) override {
    add([&] { channel_attrs[id] = a; codes[id] = static_cast<int>(e); });
  }
  void on_get_channel_member_count_result(int64_t id, const std::vector<ChannelMemberCount>& c,
                                          GetChannelMemberCountErr e) override {
    add([&] { counts[id] = c; codes[id] = static_cast<int>(e); });
  }
  void on_local_invitation_received_by_peer(const LocalInvitationPtr&) override { inv("local_received"); }
  void on_local_invitation_accepted(const LocalInvitationPtr&, const std::string& r) override { inv("local_accepted:" + r); }
  void on_local_invitation_refused(const LocalInvitationPtr&, const std::string& r) override { inv("local_refused:" + r); }
  void on_local_invitation_canceled(const LocalInvitationPtr&) override { inv("local_canceled"); }
  void on_local_invitation_failure(const LocalInvitationPtr&, LocalInvitationErr e) override {
    inv("local_failure:" + std::to_string(static_cast<int>(e)));
  }
  void on_remote_invitation_received(const RemoteInvitationPtr& r) override {
    add([&] { remote_invitations.push_back(r); inv_events.push_back("remote_received"); });
  }
  void on_remote_invitation_accepted(const RemoteInvitationPtr&) override { inv("remote_accepted"); }
  void on_remote_invitation_refused(const RemoteInvitationPtr&) override { inv("remote_refused"); }
  void on_remote_invitation_canceled(const RemoteInvitationPtr&) override { inv("remote_canceled"); }
  void on_remote_invitation_failure(const RemoteInvitationPtr&, RemoteInvitationErr e) override {
    inv("remote_failure:" + std::to_string(static_cast<int>(e)));
  }

  // Waits for the result of request `id` and returns its code (-1 on timeout).
  int wait_code(int64_t id, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    if (!wait([&] { return codes.count(id) > 0; }, timeout)) return -1;
    std::lock_guard lock(mu_);
    return codes[id];
  }
  bool wait_inv(const std::string& e, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return wait([&] { return std::find(inv_events.begin(), inv_events.end(), e) != inv_events.end(); }, timeout);
  }

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
  template <class E>
  void code(int64_t id, E e) {
    add([&] { codes[id] = static_cast<int>(e); });
  }
  void inv(const std::string& e) {
    add([&] { inv_events.push_back(e); });
  }
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

// Records the callbacks of one channel.
class ChannelRecorder : public ChannelEventHandler {
 public:
  int joined = 0;
  std::vector<JoinChannelErr> join_failures;
  std::vector<LeaveChannelErr> leaves;
  std::vector<Received> messages;
  std::map<int64_t, ChannelMessageErr> results;
  std::vector<std::string> member_joined, member_left;
  std::vector<std::pair<std::vector<std::string>, GetMembersErr>> members;
  std::vector<std::vector<ChannelAttribute>> attr_updates;
  std::vector<int> counts;

  void on_join_success() override { add([&] { ++joined; }); }
  void on_join_failure(JoinChannelErr e) override { add([&] { join_failures.push_back(e); }); }
  void on_leave(LeaveChannelErr e) override { add([&] { leaves.push_back(e); }); }
  void on_message_received(const std::string& from, const Message& m) override {
    add([&] { messages.push_back({from, m}); });
  }
  void on_send_message_result(int64_t id, ChannelMessageErr e) override { add([&] { results[id] = e; }); }
  void on_member_joined(const std::string& u) override { add([&] { member_joined.push_back(u); }); }
  void on_member_left(const std::string& u) override { add([&] { member_left.push_back(u); }); }
  void on_get_members(const std::vector<std::string>& m, GetMembersErr e) override { add([&] { members.emplace_back(m, e); }); }
  void on_attributes_updated(const std::vector<ChannelAttribute>& a) override { add([&] { attr_updates.push_back(a); }); }
  void on_member_count_updated(int n) override { add([&] { counts.push_back(n); }); }

  template <class Pred>
  bool wait(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return pred(); });
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
