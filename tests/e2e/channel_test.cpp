// Channels, channel messages, recovery after a reconnect, member events and counts, end to end.
#include "support/harness.hpp"
#include "support/proxy.hpp"
#include "support/raw_ws.hpp"

#include <thread>

using namespace rtm;
using namespace rtm::test;
using namespace std::chrono_literals;

namespace {

// A logged-in client with one channel object.
struct Member {
  TestClient tc;
  ChannelRecorder rec;
  std::shared_ptr<Channel> ch;

  Member(const std::string& url, const std::string& uid, const std::string& channel, ClientConfig cc = {})
      : tc(url, "testapp", cc) {
    EXPECT_TRUE(tc.login(uid));
    ch = tc.client->create_channel(channel, &rec);
  }
  bool join() {
    if (ch->join() != 0) return false;
    return rec.wait([&] { return rec.joined > 0 || !rec.join_failures.empty(); }) && rec.joined > 0;
  }
  ChannelMessageErr send(const std::string& text) {
    int64_t id = 0;
    int rc = ch->send_message(Message::from_text(text), {}, &id);
    if (rc) return static_cast<ChannelMessageErr>(rc);
    EXPECT_TRUE(rec.wait([&] { return rec.results.count(id) > 0; }));
    return rec.locked([&] { return rec.results[id]; });
  }
  std::vector<std::string> texts() {
    return rec.locked([&] {
      std::vector<std::string> t;
      for (auto& m : rec.messages) t.push_back(m.msg.text);
      return t;
    });
  }
};

}  // namespace

TEST(Channels, JoinSendLeaveWithMemberEvents) {
  TestServer srv;
  Member a(srv.ws_url(), "alice", "room"), b(srv.ws_url(), "bob", "room");
  ASSERT_TRUE(a.join());
  ASSERT_TRUE(b.join());
  ASSERT_TRUE(a.rec.wait([&] { return a.rec.member_joined.size() == 1; }));
  a.rec.locked([&] { EXPECT_EQ(a.rec.member_joined[0], "bob"); });
  b.rec.locked([&] { EXPECT_TRUE(b.rec.member_joined.empty()); });  // no echo of one's own join

  EXPECT_EQ(a.send("hello room"), ChannelMessageErr::OK);
  ASSERT_TRUE(b.rec.wait([&] { return b.rec.messages.size() == 1; }));
  b.rec.locked([&] {
    EXPECT_EQ(b.rec.messages[0].from, "alice");
    EXPECT_EQ(b.rec.messages[0].msg.text, "hello room");
    EXPECT_GT(b.rec.messages[0].msg.server_received_ts, 0);
  });
  std::this_thread::sleep_for(100ms);
  a.rec.locked([&] { EXPECT_TRUE(a.rec.messages.empty()); });  // never to the sender

  // Raw messages too.
  ASSERT_EQ(a.ch->send_message(Message::from_raw(std::string("\x00\xff", 2), "bin")), 0);
  ASSERT_TRUE(b.rec.wait([&] { return b.rec.messages.size() == 2; }));
  b.rec.locked([&] { EXPECT_EQ(b.rec.messages[1].msg.raw, std::string("\x00\xff", 2)); });

  ASSERT_EQ(b.ch->get_members(), 0);
  ASSERT_TRUE(b.rec.wait([&] { return !b.rec.members.empty(); }));
  b.rec.locked([&] {
    auto m = b.rec.members[0].first;
    std::sort(m.begin(), m.end());
    EXPECT_EQ(m, (std::vector<std::string>{"alice", "bob"}));
    EXPECT_EQ(b.rec.members[0].second, GetMembersErr::OK);
  });

  ASSERT_EQ(b.ch->leave(), 0);
  ASSERT_TRUE(b.rec.wait([&] { return !b.rec.leaves.empty(); }));
  b.rec.locked([&] { EXPECT_EQ(b.rec.leaves[0], LeaveChannelErr::OK); });
  ASSERT_TRUE(a.rec.wait([&] { return a.rec.member_left.size() == 1; }));
  a.rec.locked([&] { EXPECT_EQ(a.rec.member_left[0], "bob"); });
  // After leaving: not in the channel.
  EXPECT_EQ(b.send("too late"), ChannelMessageErr::NOT_IN_CHANNEL);
  ASSERT_EQ(b.ch->leave(), 0);
  ASSERT_TRUE(b.rec.wait([&] { return b.rec.leaves.size() == 2; }));
  b.rec.locked([&] { EXPECT_EQ(b.rec.leaves[1], LeaveChannelErr::NOT_IN_CHANNEL); });
  ASSERT_EQ(b.ch->get_members(), 0);
  ASSERT_TRUE(b.rec.wait([&] { return b.rec.members.size() == 2; }));
  b.rec.locked([&] { EXPECT_EQ(b.rec.members[1].second, GetMembersErr::NOT_IN_CHANNEL); });
}

TEST(Channels, JoinErrorsAndTheTwentyChannelLimit) {
  TestServer srv;
  TestClient c(srv.ws_url());
  ASSERT_TRUE(c.login("many"));
  std::vector<std::unique_ptr<ChannelRecorder>> recs;
  std::vector<std::shared_ptr<Channel>> chans;
  for (int i = 0; i < 21; ++i) {
    recs.push_back(std::make_unique<ChannelRecorder>());
    chans.push_back(c.client->create_channel("ch" + std::to_string(i), recs.back().get()));
    ASSERT_TRUE(chans.back());
  }
  EXPECT_EQ(c.client->create_channel("ch0", recs[0].get()), nullptr);  // one live object per id
  EXPECT_EQ(c.client->create_channel("bad/id", recs[0].get()), nullptr);
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(chans[i]->join(), 0);
    ASSERT_TRUE(recs[i]->wait([&] { return recs[i]->joined == 1; }));
  }
  ASSERT_EQ(chans[20]->join(), 0);
  ASSERT_TRUE(recs[20]->wait([&] { return !recs[20]->join_failures.empty(); }));
  recs[20]->locked([&] { EXPECT_EQ(recs[20]->join_failures[0], JoinChannelErr::EXCEED_LIMIT); });
  ASSERT_EQ(chans[0]->join(), 0);
  ASSERT_TRUE(recs[0]->wait([&] { return !recs[0]->join_failures.empty(); }));
  recs[0]->locked([&] { EXPECT_EQ(recs[0]->join_failures[0], JoinChannelErr::ALREADY_JOINED); });
  // Leaving one makes room.
  ASSERT_EQ(chans[5]->leave(), 0);
  ASSERT_TRUE(recs[5]->wait([&] { return !recs[5]->leaves.empty(); }));
  ASSERT_EQ(chans[20]->join(), 0);
  ASSERT_TRUE(recs[20]->wait([&] { return recs[20]->joined == 1; }));
}

TEST(Channels, MemberCountsAreThrottledAndQueryable) {
  TestServer srv([](server::ServerConfig& c) { c.member_count_interval_ms = 1500; });
  Member a(srv.ws_url(), "alice", "count-room");
  ASSERT_TRUE(a.join());
  ASSERT_TRUE(a.rec.wait([&] { return !a.rec.counts.empty(); }));  // delivered on join
  a.rec.locked([&] { EXPECT_EQ(a.rec.counts[0], 1); });
  std::vector<std::unique_ptr<Member>> others;
  for (int i = 0; i < 4; ++i) {
    others.push_back(std::make_unique<Member>(srv.ws_url(), "m" + std::to_string(i), "count-room"));
    ASSERT_TRUE(others.back()->join());
  }
  ASSERT_TRUE(a.rec.wait([&] { return !a.rec.counts.empty() && a.rec.counts.back() == 5; }, 8s));
  // Four joins inside about one interval produce fewer updates than joins.
  a.rec.locked([&] { EXPECT_LT(a.rec.counts.size(), 5u); });

  int64_t rid = 0;
  ASSERT_EQ(a.tc.client->get_channel_member_count({"count-room", "nobody-here"}, &rid), 0);
  ASSERT_EQ(a.tc.rec.wait_code(rid), 0);
  a.tc.rec.locked([&] {
    auto& c = a.tc.rec.counts[rid];
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].channel_id, "count-room");
    EXPECT_EQ(c[0].count, 5);
    EXPECT_EQ(c[1].count, 0);
  });
  std::vector<std::string> ids;
  for (int i = 0; i < 33; ++i) ids.push_back("c" + std::to_string(i));
  EXPECT_EQ(a.tc.client->get_channel_member_count(ids), static_cast<int>(GetChannelMemberCountErr::EXCEED_LIMIT));
  ids.pop_back();
  ASSERT_EQ(a.tc.client->get_channel_member_count(ids, &rid), 0);
  EXPECT_EQ(a.tc.rec.wait_code(rid), 0);
}

TEST(Channels, ReconnectInsideGraceRecoversMissedMessagesWithoutLeaving) {
  TestServer srv([](server::ServerConfig& c) { c.grace_ms = 5000; });
  Proxy proxy(srv.server->port(false));
  ClientConfig cc;
  cc.reconnect_min_ms = 100;
  cc.reconnect_max_ms = 200;
  Member flaky(proxy.url(), "flaky", "stream", cc);
  Member sender(srv.ws_url(), "sender", "stream");
  ASSERT_TRUE(flaky.join());
  ASSERT_TRUE(sender.join());
  // A stream runs while the receiver's connection is cut and comes back.
  std::atomic<bool> stop{false};
  std::thread t([&] {
    for (int i = 0; i < 60 && !stop; ++i) {
      EXPECT_EQ(sender.send("m" + std::to_string(i)), ChannelMessageErr::OK);
      std::this_thread::sleep_for(10ms);
    }
  });
  std::this_thread::sleep_for(150ms);
  proxy.block(true);
  proxy.cut();
  ASSERT_TRUE(flaky.tc.rec.wait_state(ConnectionState::RECONNECTING));
  std::this_thread::sleep_for(200ms);
  proxy.block(false);
  ASSERT_TRUE(flaky.tc.rec.wait_state(ConnectionState::CONNECTED));
  t.join();
  ASSERT_TRUE(flaky.rec.wait([&] { return flaky.rec.messages.size() >= 60; }, 10s));
  std::this_thread::sleep_for(200ms);
  auto got = flaky.texts();
  ASSERT_EQ(got.size(), 60u);  // no gap, no duplicate
  for (int i = 0; i < 60; ++i) EXPECT_EQ(got[i], "m" + std::to_string(i));
  // The others saw no leave and no second join.
  sender.rec.locked([&] {
    EXPECT_TRUE(sender.rec.member_left.empty());
    EXPECT_EQ(std::count(sender.rec.member_joined.begin(), sender.rec.member_joined.end(), "flaky"), 0);
  });
}

TEST(Channels, MemberDisconnectedPastGraceLeaves) {
  TestServer srv([](server::ServerConfig& c) { c.grace_ms = 400; });
  Proxy proxy(srv.server->port(false));
  ClientConfig cc;
  cc.reconnect_min_ms = 100;
  cc.reconnect_max_ms = 200;
  Member gone(proxy.url(), "gone", "room", cc);
  Member stay(srv.ws_url(), "stay", "room");
  ASSERT_TRUE(gone.join());
  ASSERT_TRUE(stay.join());
  proxy.block(true);
  proxy.cut();
  ASSERT_TRUE(stay.rec.wait([&] { return stay.rec.member_left.size() == 1; }, 5s));
  // When it does come back, it rejoins as a new member: the others see it join.
  proxy.block(false);
  ASSERT_TRUE(gone.tc.rec.wait_state(ConnectionState::CONNECTED));
  ASSERT_TRUE(stay.rec.wait([&] { return !stay.rec.member_joined.empty() && stay.rec.member_joined.back() == "gone"; }, 5s));
  EXPECT_EQ(stay.send("welcome back"), ChannelMessageErr::OK);
  ASSERT_TRUE(gone.rec.wait([&] { return !gone.rec.messages.empty(); }));
}

TEST(Channels, LimitsOnMessagesAndRates) {
  TestServer srv([](server::ServerConfig& c) {
    c.rate.messages = {5, 60000};
    c.rate.join_same = {2, 60000};
  });
  Member a(srv.ws_url(), "alice", "lim");
  ASSERT_TRUE(a.join());
  EXPECT_EQ(a.ch->send_message(Message::from_text(std::string(32 * 1024 + 1, 'x'))),
            static_cast<int>(ChannelMessageErr::INVALID_MESSAGE));
  EXPECT_EQ(a.send(std::string(32 * 1024, 'x')), ChannelMessageErr::OK);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(a.send("ok"), ChannelMessageErr::OK);
  EXPECT_EQ(a.send("one too many"), ChannelMessageErr::TOO_OFTEN);
  // Same channel joined a third time within the window.
  ASSERT_EQ(a.ch->leave(), 0);
  ASSERT_TRUE(a.rec.wait([&] { return a.rec.leaves.size() == 1; }));
  ASSERT_TRUE(a.join());  // the second
  ASSERT_EQ(a.ch->leave(), 0);
  ASSERT_TRUE(a.rec.wait([&] { return a.rec.leaves.size() == 2; }));
  ASSERT_EQ(a.ch->join(), 0);
  ASSERT_TRUE(a.rec.wait([&] { return !a.rec.join_failures.empty(); }));
  a.rec.locked([&] { EXPECT_EQ(a.rec.join_failures[0], JoinChannelErr::JOIN_SAME_CHANNEL_TOO_OFTEN); });
}

TEST(Channels, NotLoggedInIsRefusedAtOnce) {
  TestServer srv;
  TestClient c(srv.ws_url());
  ChannelRecorder r;
  auto ch = c.client->create_channel("x", &r);
  ASSERT_TRUE(ch);
  EXPECT_EQ(ch->join(), static_cast<int>(JoinChannelErr::USER_NOT_LOGGED_IN));
  EXPECT_EQ(ch->send_message(Message::from_text("x")), static_cast<int>(ChannelMessageErr::USER_NOT_LOGGED_IN));
}

TEST(Channels, MemberEventsStopAboveTheConfiguredSize) {
  TestServer srv([](server::ServerConfig& c) { c.member_events_max = 3; });
  Member a(srv.ws_url(), "a", "big"), b(srv.ws_url(), "b", "big"), c(srv.ws_url(), "c", "big"),
      d(srv.ws_url(), "d", "big");
  ASSERT_TRUE(a.join());
  ASSERT_TRUE(b.join());
  ASSERT_TRUE(c.join());  // 3 members: still announced
  ASSERT_TRUE(a.rec.wait([&] { return a.rec.member_joined.size() == 2; }));
  ASSERT_TRUE(d.join());  // 4 members: silent
  ASSERT_EQ(d.ch->leave(), 0);
  ASSERT_TRUE(d.rec.wait([&] { return !d.rec.leaves.empty(); }));
  ASSERT_EQ(c.ch->leave(), 0);  // back to 3: announced again
  ASSERT_TRUE(a.rec.wait([&] { return a.rec.member_left.size() == 1; }));
  std::this_thread::sleep_for(100ms);
  a.rec.locked([&] {
    EXPECT_EQ(a.rec.member_joined, (std::vector<std::string>{"b", "c"}));
    EXPECT_EQ(a.rec.member_left, (std::vector<std::string>{"c"}));
  });
}

TEST(Channels, GetMembersReturnsASampleOf512FromALargerChannel) {
  TestServer srv;
  std::vector<std::unique_ptr<RawWs>> crowd;
  std::string reply;
  for (int i = 0; i < 520; ++i) {
    crowd.push_back(std::make_unique<RawWs>(srv.server->port(false)));
    crowd.back()->send_text(R"({"op":"login","id":1,"app":"testapp","uid":"m)" + std::to_string(i) + "\"}");
    crowd.back()->send_text(R"({"op":"join","id":2,"ch":"crowd"})");
  }
  for (auto& w : crowd) ASSERT_TRUE(w->read(reply));  // login answers; joins follow
  Member a(srv.ws_url(), "observer", "crowd");
  ASSERT_TRUE(a.join());
  ASSERT_EQ(a.ch->get_members(), 0);
  ASSERT_TRUE(a.rec.wait([&] { return !a.rec.members.empty(); }));
  a.rec.locked([&] {
    auto m = a.rec.members[0].first;
    EXPECT_EQ(m.size(), 512u);
    std::sort(m.begin(), m.end());
    EXPECT_EQ(std::unique(m.begin(), m.end()), m.end());
  });
  int64_t rid = 0;
  ASSERT_EQ(a.tc.client->get_channel_member_count({"crowd"}, &rid), 0);
  ASSERT_EQ(a.tc.rec.wait_code(rid), 0);
  a.tc.rec.locked([&] { EXPECT_EQ(a.tc.rec.counts[rid][0].count, 521); });
}

TEST(Channels, ResumeOverADeadConnectionRtmdHasNotNoticedKeepsTheSession) {
  TestServer srv([](server::ServerConfig& c) { c.idle_timeout_ms = 30000; });  // rtmd notices nothing
  Proxy proxy(srv.server->port(false));
  ClientConfig cc;
  cc.idle_timeout_ms = 600;  // the SDK notices within a second
  cc.reconnect_min_ms = 50;
  cc.reconnect_max_ms = 100;
  Member m(proxy.url(), "mover", "keep", cc);
  Member other(srv.ws_url(), "other", "keep");
  ASSERT_TRUE(m.join());
  ASSERT_TRUE(other.join());
  int64_t rid = 0;
  ASSERT_EQ(m.tc.client->set_local_user_attributes({{"k", "v"}}, &rid), 0);
  ASSERT_EQ(m.tc.rec.wait_code(rid), 0);
  proxy.freeze();
  ASSERT_TRUE(m.tc.rec.wait_state(ConnectionState::RECONNECTING, 5s));
  ASSERT_TRUE(m.tc.rec.wait_state(ConnectionState::CONNECTED, 5s));
  std::this_thread::sleep_for(500ms);  // the stale connection is closed by now
  ASSERT_EQ(other.tc.client->get_user_attributes("mover", &rid), 0);
  ASSERT_EQ(other.tc.rec.wait_code(rid), 0);
  other.tc.rec.locked([&] { EXPECT_EQ(other.tc.rec.user_attrs[rid].size(), 1u); });
  EXPECT_EQ(other.send("still here?"), ChannelMessageErr::OK);
  ASSERT_TRUE(m.rec.wait([&] { return !m.rec.messages.empty(); }));
  other.rec.locked([&] { EXPECT_TRUE(other.rec.member_left.empty()); });
  // A second device of the same user cannot take the session over by claiming to resume it.
  TestClient second(srv.ws_url());
  ASSERT_TRUE(second.login("mover"));
  ASSERT_TRUE(m.tc.rec.wait_state(ConnectionState::ABORTED));
  m.tc.rec.locked([&] { EXPECT_EQ(m.tc.rec.states.back().second, ConnectionChangeReason::REMOTE_LOGIN); });
}

TEST(Channels, ChannelReleasedWhileReconnectingIsLeftOnceTheSessionIsBack) {
  TestServer srv([](server::ServerConfig& c) { c.grace_ms = 5000; });
  Proxy proxy(srv.server->port(false));
  ClientConfig cc;
  cc.reconnect_min_ms = 100;
  cc.reconnect_max_ms = 200;
  Member leaver(proxy.url(), "leaver", "hall", cc);
  Member stayer(srv.ws_url(), "stayer", "hall");
  ASSERT_TRUE(stayer.join());
  ASSERT_TRUE(leaver.join());
  proxy.block(true);
  proxy.cut();
  ASSERT_TRUE(leaver.tc.rec.wait_state(ConnectionState::RECONNECTING));
  leaver.ch.reset();  // released while the session is away: the leave waits for it
  proxy.block(false);
  ASSERT_TRUE(leaver.tc.rec.wait_state(ConnectionState::CONNECTED));
  ASSERT_TRUE(stayer.rec.wait([&] { return !stayer.rec.member_left.empty(); }));
  stayer.rec.locked([&] { EXPECT_EQ(stayer.rec.member_left[0], "leaver"); });
  ASSERT_EQ(stayer.ch->get_members(), 0);
  ASSERT_TRUE(stayer.rec.wait([&] { return stayer.rec.members.size() == 1; }));
  stayer.rec.locked([&] { EXPECT_EQ(stayer.rec.members[0].first, std::vector<std::string>{"stayer"}); });
}
