// A bounded stress run of rtmd on two I/O threads with its housekeeping every millisecond: many
// clients mix joins, leaves, channel and peer messages, member and count queries, presence
// subscriptions, channel attributes and logouts, and every request must be answered. Afterwards the
// member count rtmd reports for each channel must equal the members the clients know they are.
//
// RTM_STRESS_SECONDS sets the length (default 3); scripts/stress runs it longer, also under TSan.
#include "support/harness.hpp"

#include <atomic>
#include <cstdlib>
#include <set>
#include <thread>

using namespace rtm;
using namespace rtm::test;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> kChannels = {"s0", "s1", "s2"};

// One client driven by its own thread, one request at a time: each must be answered.
struct Worker : EventHandler, ChannelEventHandler {
  std::string uid;
  std::unique_ptr<Client> client;
  std::map<std::string, std::shared_ptr<Channel>> chans;
  std::set<std::string> joined;  // channels this client was told it joined and has not left

  std::mutex mu;
  std::condition_variable cv;
  uint64_t answers = 0;     // every result callback, of any kind
  bool connected = false;
  bool logged_out = false;
  std::string last_join;    // the channel of the request in flight (join or leave)
  int join_result = -1;     // 0 joined, 1 refused
  int leave_result = -1;

  uint64_t issued = 0, hung = 0;
  std::string hang_what;

  ~Worker() {  // the client's callbacks end before the members they use
    chans.clear();
    client.reset();
  }

  void answered(std::function<void()> f = {}) {
    {
      std::lock_guard l(mu);
      if (f) f();
      ++answers;
    }
    cv.notify_all();
  }
  // EventHandler
  void on_connection_state_changed(ConnectionState s, ConnectionChangeReason) override {
    {
      std::lock_guard l(mu);
      connected = s == ConnectionState::CONNECTED;
    }
    cv.notify_all();
  }
  void on_login_failure(LoginErr) override { answered(); }
  void on_logout(LogoutErr) override {
    answered([&] {
      logged_out = true;
      connected = false;
    });
  }
  void on_send_message_result(int64_t, PeerMessageErr) override { answered(); }
  void on_subscription_request_result(int64_t, PeerSubscriptionStatusErr) override { answered(); }
  void on_get_channel_member_count_result(int64_t, const std::vector<ChannelMemberCount>&,
                                          GetChannelMemberCountErr) override {
    answered();
  }
  void on_add_or_update_channel_attributes_result(int64_t, AttributeOperationErr) override { answered(); }
  void on_clear_channel_attributes_result(int64_t, AttributeOperationErr) override { answered(); }
  // ChannelEventHandler (one handler for every channel of this client)
  void on_join_success() override { answered([&] { join_result = 0; }); }
  void on_join_failure(JoinChannelErr) override { answered([&] { join_result = 1; }); }
  void on_leave(LeaveChannelErr e) override { answered([&] { leave_result = e == LeaveChannelErr::OK ? 0 : 1; }); }
  void on_send_message_result(int64_t, ChannelMessageErr) override { answered(); }
  void on_get_members(const std::vector<std::string>&, GetMembersErr) override { answered(); }

  // Issues one request through `op` (which returns the synchronous code) and waits for its answer.
  bool request(const char* what, const std::function<int()>& op) {
    uint64_t before;
    {
      std::lock_guard l(mu);
      before = answers;
    }
    ++issued;
    if (op() != 0) return false;  // refused at once: that is an answer too, and no callback follows
    std::unique_lock l(mu);
    if (!cv.wait_for(l, 15s, [&] { return answers > before; })) {
      ++hung;
      hang_what = what;
      return false;
    }
    return true;
  }

  bool login(const std::string& url) {
    std::unique_lock l(mu);
    logged_out = false;
    l.unlock();
    ++issued;
    if (client->login("", uid) != 0) return false;
    l.lock();
    if (!cv.wait_for(l, 15s, [&] { return connected; })) {
      ++hung;
      hang_what = "login to " + url;
      return false;
    }
    return true;
  }
  void open_channels() {
    chans.clear();
    for (auto& c : kChannels) chans[c] = client->create_channel(c, this);
  }

  void run(const std::string& url, const std::vector<std::string>& peers, std::chrono::steady_clock::time_point until,
           unsigned seed) {
    std::mt19937 rng(seed);
    auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
    while (std::chrono::steady_clock::now() < until && hung == 0) {
      auto ch = pick(kChannels);
      switch (rng() % 20) {
        case 0: case 1: case 2: case 3: {  // join
          {
            std::lock_guard l(mu);
            join_result = -1;
          }
          if (request("join", [&] { return chans[ch]->join(); })) {
            std::lock_guard l(mu);
            if (join_result == 0) joined.insert(ch);
          }
          break;
        }
        case 4: case 5: case 6: {  // leave
          {
            std::lock_guard l(mu);
            leave_result = -1;
          }
          if (request("leave", [&] { return chans[ch]->leave(); })) {
            std::lock_guard l(mu);
            if (leave_result == 0) joined.erase(ch);
          }
          break;
        }
        case 7: case 8: case 9:
          request("channel message", [&] { return chans[ch]->send_message(Message::from_text("m")); });
          break;
        case 10:
          request("get members", [&] { return chans[ch]->get_members(); });
          break;
        case 11: case 12:
          request("member count", [&] { return client->get_channel_member_count(kChannels); });
          break;
        case 13:
          request("subscribe", [&] { return client->subscribe_peers_online_status({pick(peers)}); });
          break;
        case 14:
          request("unsubscribe", [&] { return client->unsubscribe_peers_online_status({pick(peers)}); });
          break;
        case 15:
          request("peer message", [&] {
            return client->send_message_to_peer(pick(peers), Message::from_text("p"), {});
          });
          break;
        case 16:
          request("channel attributes", [&] {
            return client->add_or_update_channel_attributes(ch, {{"k", uid}});
          });
          break;
        case 17:
          request("clear channel attributes", [&] { return client->clear_channel_attributes(ch); });
          break;
        case 18:
          if (rng() % 4 == 0) {  // logout and back: the session's channels end with it
            request("logout", [&] { return client->logout(); });
            joined.clear();
            open_channels();  // the old objects go while logged out: nothing to leave
            login(url);
          }
          break;
        default:
          break;
      }
    }
  }
};

}  // namespace

TEST(Stress, MixedOperationsOnTwoIoThreadsAreAllAnsweredAndCountsStayExact) {
  TestServer srv([](server::ServerConfig& c) {
    c.io_threads = 2;                  // the default on a two-core machine, whatever the suite runs with
    c.housekeeping_interval_ms = 1;    // the tick competes with every join and leave
    c.member_count_interval_ms = 1;
    c.grace_ms = 200;
  });
  const char* env = std::getenv("RTM_STRESS_SECONDS");
  auto seconds = std::chrono::seconds(env && *env ? std::atoi(env) : 3);
  const int n = 12;
  std::vector<std::string> uids;
  for (int i = 0; i < n; ++i) uids.push_back("w" + std::to_string(i));

  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < n; ++i) {
    auto w = std::make_unique<Worker>();
    w->uid = uids[static_cast<std::size_t>(i)];
    ClientConfig cc;
    cc.app_id = "stress";
    cc.url = srv.ws_url();
    cc.request_timeout_ms = 20000;  // a lost answer shows as a hang, not as a TIMEOUT result
    w->client = std::make_unique<Client>(cc, w.get());
    ASSERT_TRUE(w->login(cc.url)) << w->uid;
    w->open_channels();
    workers.push_back(std::move(w));
  }

  auto until = std::chrono::steady_clock::now() + seconds;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] { workers[static_cast<std::size_t>(i)]->run(srv.ws_url(), uids, until, 1000u + static_cast<unsigned>(i)); });
  for (auto& t : threads) t.join();

  uint64_t issued = 0;
  for (auto& w : workers) {
    EXPECT_EQ(w->hung, 0u) << w->uid << ": no answer to " << w->hang_what;
    issued += w->issued;
  }
  EXPECT_GT(issued, static_cast<uint64_t>(n) * 10) << "the run issued too few requests to mean anything";

  // Every worker is idle now: rtmd's counts must equal what the clients were told.
  std::map<std::string, int> expected;
  for (auto& c : kChannels) expected[c] = 0;
  for (auto& w : workers)
    for (auto& c : w->joined) ++expected[c];
  TestClient probe(srv.ws_url(), "stress");
  ASSERT_TRUE(probe.login("probe"));
  int64_t req = 0;
  ASSERT_EQ(probe.client->get_channel_member_count(kChannels, &req), 0);
  ASSERT_EQ(probe.rec.wait_code(req, 15s), 0) << "rtmd did not answer the probe";
  probe.rec.locked([&] {
    ASSERT_EQ(probe.rec.counts[req].size(), kChannels.size());
    for (auto& c : probe.rec.counts[req]) EXPECT_EQ(c.count, expected[c.channel_id]) << "channel " << c.channel_id;
  });
  std::printf("stress: %llu requests from %d clients in %lld s, all answered\n",
              static_cast<unsigned long long>(issued), n, static_cast<long long>(seconds.count()));
}
