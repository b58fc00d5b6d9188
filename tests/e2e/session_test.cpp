// End to end: real rtmd in process, real clients, over ws and wss.
#include "support/harness.hpp"
#include "support/proxy.hpp"

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "core/token/token.hpp"

using namespace rtm;
using namespace rtm::test;
using namespace std::chrono_literals;

namespace {

const std::string kAppId = "970CA35de60c44645bbae8a215061b33";
const std::string kCert = "5CFd2fd1755d40ecb72977518be15d3b";

class Session : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    srv_ = std::make_unique<TestServer>([](server::ServerConfig& c) {
      c.apps = {{"testapp", ""}, {kAppId, kCert}};
    });
  }
  std::string url() const { return GetParam() ? srv_->wss_url() : srv_->ws_url(); }
  std::unique_ptr<TestServer> srv_;
};

uint32_t now_s() { return static_cast<uint32_t>(std::time(nullptr)); }

}  // namespace

TEST_P(Session, LoginWithoutCertificateFollowsTheStateMachine) {
  TestClient a(url());
  ASSERT_TRUE(a.login("alice"));
  EXPECT_EQ(a.client->state(), ConnectionState::CONNECTED);
  ASSERT_TRUE(a.rec.wait([&] { return a.rec.login_successes == 1; }));  // follows the state change
  a.rec.locked([&] {
    ASSERT_GE(a.rec.states.size(), 2u);
    EXPECT_EQ(a.rec.states[0], std::make_pair(ConnectionState::CONNECTING, ConnectionChangeReason::LOGIN));
    EXPECT_EQ(a.rec.states[1], std::make_pair(ConnectionState::CONNECTED, ConnectionChangeReason::LOGIN_SUCCESS));
    EXPECT_EQ(a.rec.login_successes, 1);
  });
  EXPECT_EQ(a.client->login("", "alice"), static_cast<int>(LoginErr::ALREADY_LOGGED_IN));
  EXPECT_EQ(a.client->logout(), 0);
  ASSERT_TRUE(a.rec.wait_state(ConnectionState::DISCONNECTED));
  ASSERT_TRUE(a.rec.wait([&] { return !a.rec.logouts.empty(); }));
  a.rec.locked([&] {
    EXPECT_EQ(a.rec.states.back().second, ConnectionChangeReason::LOGOUT);
    ASSERT_EQ(a.rec.logouts.size(), 1u);
    EXPECT_EQ(a.rec.logouts[0], LogoutErr::OK);
  });
  EXPECT_EQ(a.client->logout(), static_cast<int>(LogoutErr::USER_NOT_LOGGED_IN));
  // Logging in again after a logout works.
  ASSERT_TRUE(a.login("alice"));
}

TEST_P(Session, InvalidUserIdsAreRefusedBeforeAnythingIsSent) {
  TestClient a(url());
  EXPECT_EQ(a.client->login("", ""), static_cast<int>(LoginErr::INVALID_ARGUMENT));
  EXPECT_EQ(a.client->login("", "null"), static_cast<int>(LoginErr::INVALID_ARGUMENT));
  EXPECT_EQ(a.client->login("", std::string(65, 'a')), static_cast<int>(LoginErr::INVALID_ARGUMENT));
  EXPECT_EQ(a.client->login("", "bad/char"), static_cast<int>(LoginErr::INVALID_ARGUMENT));
  EXPECT_EQ(a.client->state(), ConnectionState::DISCONNECTED);
  ASSERT_TRUE(a.login(std::string(64, 'a')));
}

TEST_P(Session, TokensAreVerified) {
  auto login_code = [&](const std::string& uid, const std::string& token, const std::string& app = kAppId) {
    TestClient c(url(), app);
    EXPECT_EQ(c.client->login(token, uid), 0);
    EXPECT_TRUE(c.rec.wait([&] { return c.rec.login_successes > 0 || !c.rec.login_failures.empty(); }));
    return c.rec.locked([&] { return c.rec.login_successes ? LoginErr::OK : c.rec.login_failures.at(0); });
  };
  EXPECT_EQ(login_code("u1", token::build_rtm_token_007(kAppId, kCert, "u1", 600)), LoginErr::OK);
  EXPECT_EQ(login_code("u2", token::build_rtm_token_006(kAppId, kCert, "u2")), LoginErr::OK);
  EXPECT_EQ(login_code("u3", ""), LoginErr::INVALID_TOKEN);
  // Bound to another user, signed with another certificate, or tampered with.
  EXPECT_EQ(login_code("u4", token::build_rtm_token_007(kAppId, kCert, "someone", 600)), LoginErr::INVALID_TOKEN);
  EXPECT_EQ(login_code("u5", token::build_rtm_token_007(kAppId, "0123456789abcdef0123456789abcdef", "u5", 600)),
            LoginErr::INVALID_TOKEN);
  std::string t = token::build_rtm_token_007(kAppId, kCert, "u6", 600);
  t[t.size() / 2] = t[t.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(login_code("u6", t), LoginErr::INVALID_TOKEN);
  EXPECT_EQ(login_code("u7", "garbage"), LoginErr::INVALID_TOKEN);
  // Genuine but expired: issued two hours ago for one hour.
  EXPECT_EQ(login_code("u8", token::build_rtm_token_007(kAppId, kCert, "u8", 3600, now_s() - 7200, 12345)),
            LoginErr::TOKEN_EXPIRED);
  EXPECT_EQ(login_code("u9", token::build_rtm_token_006(kAppId, kCert, "u9", now_s() - 10, 777)),
            LoginErr::TOKEN_EXPIRED);
  EXPECT_EQ(login_code("u10", "", "no-such-app"), LoginErr::INVALID_APP_ID);
  // The development app needs no token at all.
  EXPECT_EQ(login_code("u11", "", "testapp"), LoginErr::OK);
}

TEST_P(Session, SecondLoginOfTheSameUserKicksTheFirst) {
  TestClient first(url()), second(url());
  ASSERT_TRUE(first.login("dup"));
  ASSERT_TRUE(second.login("dup"));
  ASSERT_TRUE(first.rec.wait_state(ConnectionState::ABORTED));
  first.rec.locked([&] { EXPECT_EQ(first.rec.states.back().second, ConnectionChangeReason::REMOTE_LOGIN); });
  // ABORTED needs a logout before logging in again.
  EXPECT_EQ(first.client->login("", "dup"), static_cast<int>(LoginErr::ALREADY_LOGGED_IN));
  // Messages now reach the second session.
  TestClient sender(url());
  ASSERT_TRUE(sender.login("sender"));
  EXPECT_EQ(sender.send("dup", Message::from_text("to the new one")), PeerMessageErr::OK);
  ASSERT_TRUE(second.rec.wait_messages(1));
  std::this_thread::sleep_for(100ms);
  first.rec.locked([&] { EXPECT_TRUE(first.rec.messages.empty()); });
}

TEST_P(Session, PeerMessagesAreAcknowledgedByTheReceiver) {
  TestClient a(url()), b(url());
  ASSERT_TRUE(a.login("alice"));
  ASSERT_TRUE(b.login("bob"));
  auto before = std::chrono::system_clock::now();
  EXPECT_EQ(a.send("bob", Message::from_text("hello bob")), PeerMessageErr::OK);
  // OK means the receiving SDK has it; its callback runs on bob's dispatcher.
  ASSERT_TRUE(b.rec.wait_messages(1));
  b.rec.locked([&] {
    ASSERT_EQ(b.rec.messages.size(), 1u);
    auto& r = b.rec.messages[0];
    EXPECT_EQ(r.from, "alice");
    EXPECT_EQ(r.msg.type, MessageType::TEXT);
    EXPECT_EQ(r.msg.text, "hello bob");
    EXPECT_FALSE(r.msg.is_offline);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(before.time_since_epoch()).count();
    EXPECT_GE(r.msg.server_received_ts, ms - 1000);
    EXPECT_LE(r.msg.server_received_ts, ms + 10000);
  });
  std::string bin;
  for (int i = 0; i < 256; ++i) bin.push_back(static_cast<char>(i));
  EXPECT_EQ(a.send("bob", Message::from_raw(bin, "a description")), PeerMessageErr::OK);
  ASSERT_TRUE(b.rec.wait_messages(2));
  b.rec.locked([&] {
    ASSERT_EQ(b.rec.messages.size(), 2u);
    EXPECT_EQ(b.rec.messages[1].msg.type, MessageType::RAW);
    EXPECT_EQ(b.rec.messages[1].msg.raw, bin);
    EXPECT_EQ(b.rec.messages[1].msg.text, "a description");
  });
  // A message to oneself is a peer message too.
  EXPECT_EQ(a.send("alice", Message::from_text("note to self")), PeerMessageErr::OK);
}

TEST_P(Session, MessageSizeLimitIsExact) {
  TestClient a(url()), b(url());
  ASSERT_TRUE(a.login("alice"));
  ASSERT_TRUE(b.login("bob"));
  EXPECT_EQ(a.send("bob", Message::from_text(std::string(32 * 1024, 'x'))), PeerMessageErr::OK);
  EXPECT_EQ(a.send("bob", Message::from_text(std::string(32 * 1024 + 1, 'x'))), PeerMessageErr::INVALID_MESSAGE);
  EXPECT_EQ(a.send("bob", Message::from_raw(std::string(32 * 1024 - 4, 'r'), "desc")), PeerMessageErr::OK);
  EXPECT_EQ(a.send("bob", Message::from_raw(std::string(32 * 1024 - 3, 'r'), "desc")), PeerMessageErr::INVALID_MESSAGE);
  EXPECT_EQ(a.send("bad/id", Message::from_text("x")), PeerMessageErr::INVALID_USERID);
  ASSERT_TRUE(b.rec.wait_messages(2));
}

TEST_P(Session, SendingBeforeLoginIsRefused) {
  TestClient a(url());
  int64_t id = 0;
  EXPECT_EQ(a.client->send_message_to_peer("bob", Message::from_text("x"), {}, &id),
            static_cast<int>(PeerMessageErr::USER_NOT_LOGGED_IN));
}

TEST_P(Session, OfflinePeerIsUnreachableOrCached) {
  TestClient a(url());
  ASSERT_TRUE(a.login("alice"));
  EXPECT_EQ(a.send("nobody", Message::from_text("lost")), PeerMessageErr::PEER_UNREACHABLE);
  auto t0 = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_EQ(a.send("carol", Message::from_text("first"), true), PeerMessageErr::CACHED_BY_SERVER);
  EXPECT_EQ(a.send("carol", Message::from_raw("\x01\x02", "second"), true), PeerMessageErr::CACHED_BY_SERVER);
  std::this_thread::sleep_for(50ms);
  TestClient c(url());
  ASSERT_TRUE(c.login("carol"));
  ASSERT_TRUE(c.rec.wait_messages(2));
  c.rec.locked([&] {
    EXPECT_EQ(c.rec.messages[0].msg.text, "first");
    EXPECT_TRUE(c.rec.messages[0].msg.is_offline);
    EXPECT_GE(c.rec.messages[0].msg.server_received_ts, t0 - 1000);
    EXPECT_LE(c.rec.messages[0].msg.server_received_ts, t0 + 1000);  // the original time, not the delivery time
    EXPECT_EQ(c.rec.messages[1].msg.raw, "\x01\x02");
    EXPECT_EQ(c.rec.messages[1].from, "alice");
  });
  // Acknowledged offline messages are gone: a second login delivers nothing.
  std::this_thread::sleep_for(200ms);
  c.client->logout();
  ASSERT_TRUE(c.rec.wait_state(ConnectionState::DISCONNECTED));
  TestClient c2(url());
  ASSERT_TRUE(c2.login("carol"));
  std::this_thread::sleep_for(300ms);
  c2.rec.locked([&] { EXPECT_TRUE(c2.rec.messages.empty()); });
}

TEST_P(Session, OfflineStoreKeepsTheNewestPerReceiver) {
  srv_.reset();
  srv_ = std::make_unique<TestServer>([](server::ServerConfig& c) { c.offline_max_per_user = 3; });
  TestClient a(url());
  ASSERT_TRUE(a.login("alice"));
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(a.send("dave", Message::from_text("m" + std::to_string(i)), true), PeerMessageErr::CACHED_BY_SERVER);
  TestClient d(url());
  ASSERT_TRUE(d.login("dave"));
  ASSERT_TRUE(d.rec.wait_messages(3));
  std::this_thread::sleep_for(200ms);
  d.rec.locked([&] {
    ASSERT_EQ(d.rec.messages.size(), 3u);
    EXPECT_EQ(d.rec.messages[0].msg.text, "m2");
    EXPECT_EQ(d.rec.messages[2].msg.text, "m4");
  });
}

TEST_P(Session, ReconnectsAfterTheServerDropsTheConnection) {
  auto dir = srv_->dir;
  uint16_t ws = srv_->server->port(false), wss = srv_->server->port(true);
  ClientConfig cc;
  cc.reconnect_min_ms = 50;
  cc.reconnect_max_ms = 200;
  TestClient a(url(), "testapp", cc), b(url(), "testapp", cc);
  ASSERT_TRUE(a.login("alice"));
  ASSERT_TRUE(b.login("bob"));
  srv_.reset();  // every connection drops
  ASSERT_TRUE(a.rec.wait_state(ConnectionState::RECONNECTING));
  a.rec.locked([&] { EXPECT_EQ(a.rec.states.back().second, ConnectionChangeReason::INTERRUPTED); });
  // A message sent while reconnecting is kept and delivered once the connection is back.
  int64_t id = 0;
  ASSERT_EQ(a.client->send_message_to_peer("bob", Message::from_text("while away"), {}, &id), 0);
  srv_ = std::make_unique<TestServer>([&](server::ServerConfig& c) {
    c.listen = {{"127.0.0.1", ws, false}, {"127.0.0.1", wss, true}};
  }, dir);
  ASSERT_TRUE(a.rec.wait_state(ConnectionState::CONNECTED));
  ASSERT_TRUE(b.rec.wait_state(ConnectionState::CONNECTED));
  a.rec.locked([&] {
    EXPECT_EQ(a.rec.states.back().second, ConnectionChangeReason::LOGIN_SUCCESS);
    EXPECT_EQ(a.rec.login_successes, 1);  // reconnecting is not a new login
  });
  PeerMessageErr e{};
  ASSERT_TRUE(a.rec.wait_result(id, e));
  // Bob may have come back after the first attempt; the message is then unreachable, never lost silently.
  if (e == PeerMessageErr::OK) {
    ASSERT_TRUE(b.rec.wait_messages(1));
  } else {
    EXPECT_EQ(e, PeerMessageErr::PEER_UNREACHABLE);
  }
  EXPECT_EQ(a.send("bob", Message::from_text("after")), PeerMessageErr::OK);
}

TEST_P(Session, ReceiverThatNeverAcknowledgesTimesOut) {
  srv_.reset();
  srv_ = std::make_unique<TestServer>([](server::ServerConfig& c) { c.peer_timeout_ms = 400; });
  TestClient a(url());
  ASSERT_TRUE(a.login("alice"));
  // bob's SDK is stuck: its dispatcher is blocked and its socket is not read.
  ClientConfig cc;
  cc.max_pending_events = 1;
  TestClient b(url(), "testapp", cc);
  ASSERT_TRUE(b.login("bob"));
  std::mutex block;
  std::unique_lock hold(block);
  b.rec.on_message = [&](const Received&) { std::lock_guard l(block); };
  EXPECT_EQ(a.send("bob", Message::from_text("1")), PeerMessageErr::OK);  // acked, then the callback blocks
  EXPECT_EQ(a.send("bob", Message::from_text("2")), PeerMessageErr::OK);  // acked on arrival; queue now full
  EXPECT_EQ(a.send("bob", Message::from_text("3")), PeerMessageErr::SENT_TIMEOUT);
  hold.unlock();
  ASSERT_TRUE(b.rec.wait_messages(3));
}

INSTANTIATE_TEST_SUITE_P(Transports, Session, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "wss" : "ws"; });

TEST(Client, LoginTimesOutWhenNoServerAnswers) {
  ClientConfig cc;
  cc.login_timeout_ms = 800;
  cc.reconnect_min_ms = 50;
  TestClient a("ws://127.0.0.1:1", "testapp", cc);
  ASSERT_EQ(a.client->login("", "alice"), 0);
  ASSERT_TRUE(a.rec.wait([&] { return !a.rec.login_failures.empty(); }, 5s));
  a.rec.locked([&] {
    EXPECT_EQ(a.rec.login_failures[0], LoginErr::TIMEOUT);
    EXPECT_EQ(a.rec.states.back(), std::make_pair(ConnectionState::DISCONNECTED, ConnectionChangeReason::LOGIN_TIMEOUT));
  });
}

TEST(Client, WssVerifiesTheServerCertificate) {
  TestServer srv;
  ClientConfig cc;
  cc.app_id = "testapp";
  cc.url = srv.wss_url();
  cc.login_timeout_ms = 1500;
  Recorder rec;
  {
    Client strict(cc, &rec);  // the self-signed certificate is not trusted
    ASSERT_EQ(strict.login("", "alice"), 0);
    ASSERT_TRUE(rec.wait([&] { return !rec.login_failures.empty(); }, 5s));
  }
  Recorder rec2;
  cc.ca_file = srv.dir + "/dev-cert.pem";  // trusting it explicitly works, with host name checking
  cc.url = "wss://localhost:" + std::to_string(srv.server->port(true));
  Client trusted(cc, &rec2);
  ASSERT_EQ(trusted.login("", "alice"), 0);
  ASSERT_TRUE(rec2.wait_state(ConnectionState::CONNECTED));
}

TEST(Client, PollModeRunsCallbacksOnTheCallingThread) {
  TestServer srv;
  ClientConfig cc;
  cc.app_id = "testapp";
  cc.url = srv.ws_url();
  cc.dispatch = DispatchMode::poll;
  Recorder rec;
  Client c(cc, &rec);
  std::thread::id cb_thread;
  struct Probe : EventHandler {
    std::thread::id* id;
    void on_login_success() override { *id = std::this_thread::get_id(); }
  } probe;
  probe.id = &cb_thread;
  Client c2(cc, &probe);
  ASSERT_EQ(c2.login("", "poller"), 0);
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (cb_thread == std::thread::id{} && std::chrono::steady_clock::now() < deadline) c2.poll(100);
  EXPECT_EQ(cb_thread, std::this_thread::get_id());
  EXPECT_GE(c2.event_fd(), 0);
}

// Requests are written by the calling thread when they can be (ws), or handed to the network
// thread (wss, or while anything an earlier call queued is still there). Either way a thread's
// requests reach rtmd in the order it made them.
TEST_P(Session, EachThreadsRequestsArriveInTheOrderItMadeThem) {
  TestClient a(url()), b(url());
  ASSERT_TRUE(a.login("order-a"));
  ASSERT_TRUE(b.login("order-b"));
  constexpr int kThreads = 4, kEach = 300;
  std::vector<std::thread> threads;
  std::atomic<int> refused{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto text = std::to_string(t) + ":" + std::to_string(i);
        if (a.client->send_message_to_peer("order-b", Message::from_text(text), {}) != 0) ++refused;
      }
    });
  // Meanwhile: join then send at once, and leave by destroying the channel then join again at once.
  TestClient c(url());
  ASSERT_TRUE(c.login("order-c"));
  ChannelRecorder rc;
  auto probe = c.client->create_channel("order-room", &rc);
  ASSERT_EQ(probe->join(), 0);
  ASSERT_TRUE(rc.wait([&] { return rc.joined == 1; }));
  ChannelRecorder r1, r2;
  for (int round = 0; round < 20; ++round) {
    auto ch = a.client->create_channel("order-room", &r1);
    ASSERT_EQ(ch->join(), 0);
    ASSERT_EQ(ch->send_message(Message::from_text("right after join " + std::to_string(round)), {}), 0);
    ch.reset();  // leaves
  }
  auto last = a.client->create_channel("order-room", &r2);
  ASSERT_EQ(last->join(), 0);
  for (auto& t : threads) t.join();
  EXPECT_EQ(refused.load(), 0);

  ASSERT_TRUE(a.rec.wait([&] { return a.rec.results.size() == kThreads * kEach; }, 30s));
  a.rec.locked([&] {
    for (auto& [id, e] : a.rec.results) EXPECT_EQ(e, PeerMessageErr::OK);
  });
  ASSERT_TRUE(b.rec.wait_messages(kThreads * kEach));
  b.rec.locked([&] {
    std::vector<int> next(kThreads, 0);
    for (auto& m : b.rec.messages) {
      auto colon = m.msg.text.find(':');
      int t = std::stoi(m.msg.text.substr(0, colon)), i = std::stoi(m.msg.text.substr(colon + 1));
      EXPECT_EQ(i, next[t]) << "thread " << t;
      next[t] = i + 1;
    }
  });
  // Each channel message was written after its join (a member receives all 20, in order), and
  // the last join holds.
  ASSERT_TRUE(rc.wait([&] { return rc.messages.size() == 20; }));
  rc.locked([&] {
    for (int i = 0; i < 20; ++i) EXPECT_EQ(rc.messages[i].msg.text, "right after join " + std::to_string(i));
  });
  ASSERT_TRUE(r2.wait([&] { return r2.joined + r2.join_failures.size() == 1; }));
  r2.locked([&] { for (auto e : r2.join_failures) ADD_FAILURE() << "join failure " << static_cast<int>(e); });
  ASSERT_EQ(probe->get_members(), 0);
  ASSERT_TRUE(rc.wait([&] { return rc.members.size() == 1; }));
  rc.locked([&] {
    auto& m = rc.members[0].first;
    EXPECT_NE(std::find(m.begin(), m.end(), "order-a"), m.end());
  });
}

// Requests written while the connection is cut under them each get exactly one result, and the
// receiver sees each message once.
TEST(Client, RequestsWrittenWhileTheConnectionIsCutGetOneResultEach) {
  TestServer srv;
  Proxy proxy(srv.server->port(false));
  ClientConfig cc;
  cc.reconnect_min_ms = 20;
  cc.reconnect_max_ms = 100;
  TestClient a(proxy.url(), "testapp", cc), b(srv.ws_url());
  ASSERT_TRUE(a.login("cut-a"));
  ASSERT_TRUE(b.login("cut-b"));
  constexpr int kCount = 2000;
  std::thread cutter([&] {
    for (int i = 0; i < 3; ++i) {
      std::this_thread::sleep_for(30ms);
      proxy.cut();
    }
  });
  std::set<int64_t> ids;
  for (int i = 0; i < kCount; ++i) {
    int64_t id = 0;
    ASSERT_EQ(a.client->send_message_to_peer("cut-b", Message::from_text(std::to_string(i)), {}, &id), 0);
    ids.insert(id);
    if (i % 100 == 0) std::this_thread::sleep_for(5ms);
  }
  cutter.join();
  ASSERT_TRUE(a.rec.wait([&] { return a.rec.results.size() >= kCount; }, 60s));
  std::this_thread::sleep_for(200ms);
  int ok = 0;
  a.rec.locked([&] {
    EXPECT_EQ(a.rec.results.size(), static_cast<std::size_t>(kCount));
    std::set<int64_t> seen;
    for (auto& [id, e] : a.rec.results) {
      EXPECT_TRUE(ids.count(id));
      EXPECT_TRUE(seen.insert(id).second) << "two results for " << id;
      if (e == PeerMessageErr::OK) ++ok;
      else EXPECT_EQ(e, PeerMessageErr::SENT_TIMEOUT) << "message " << id;
    }
  });
  EXPECT_GT(ok, 0);
  ASSERT_TRUE(b.rec.wait_messages(static_cast<std::size_t>(ok)));
  b.rec.locked([&] {
    std::set<std::string> texts;
    for (auto& m : b.rec.messages) EXPECT_TRUE(texts.insert(m.msg.text).second) << "delivered twice: " << m.msg.text;
  });
}
