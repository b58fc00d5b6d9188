// Presence, user and channel attributes, invitations, token lifetime and rate limits, end to end.
#include "support/harness.hpp"
#include "support/proxy.hpp"
#include "support/raw_ws.hpp"

#include <fstream>
#include <thread>

#include "core/token/token.hpp"

using namespace rtm;
using namespace rtm::test;
using namespace std::chrono_literals;

namespace {

int64_t rid_of(int rc, const int64_t& rid) {  // by reference: read after the call set it
  EXPECT_EQ(rc, 0);
  return rid;
}

bool has_state(Recorder& r, const std::string& peer, PeerOnlineState s) {
  return r.wait([&] {
    for (auto& p : r.presence)
      if (p.peer_id == peer && p.state == s) return true;
    return false;
  });
}

}  // namespace

// ---- presence ----------------------------------------------------------------------------------

TEST(Presence, QuerySubscribeAndStateChanges) {
  TestServer srv([](server::ServerConfig& c) { c.grace_ms = 500; });
  Proxy proxy(srv.server->port(false));
  TestClient watcher(srv.ws_url());
  ASSERT_TRUE(watcher.login("watcher"));
  ClientConfig cc;
  cc.reconnect_min_ms = 100;
  cc.reconnect_max_ms = 200;
  TestClient peer(proxy.url(), "testapp", cc);
  ASSERT_TRUE(peer.login("peer"));

  int64_t rid = 0;
  rid = rid_of(watcher.client->query_peers_online_status({"peer", "ghost"}, &rid), rid);
  ASSERT_EQ(watcher.rec.wait_code(rid), 0);
  watcher.rec.locked([&] {
    auto& q = watcher.rec.queries[rid];
    ASSERT_EQ(q.size(), 2u);
    EXPECT_TRUE(q[0].is_online);
    EXPECT_EQ(q[0].state, PeerOnlineState::ONLINE);
    EXPECT_FALSE(q[1].is_online);
    EXPECT_EQ(q[1].state, PeerOnlineState::OFFLINE);
  });

  rid = rid_of(watcher.client->subscribe_peers_online_status({"peer", "ghost"}, &rid), rid);
  ASSERT_EQ(watcher.rec.wait_code(rid), 0);
  // The current state right after subscribing.
  ASSERT_TRUE(has_state(watcher.rec, "peer", PeerOnlineState::ONLINE));
  ASSERT_TRUE(has_state(watcher.rec, "ghost", PeerOnlineState::OFFLINE));

  rid = rid_of(watcher.client->query_peers_by_subscription_option(PeerSubscriptionOption::ONLINE_STATUS, &rid), rid);
  ASSERT_EQ(watcher.rec.wait_code(rid), 0);
  watcher.rec.locked([&] { EXPECT_EQ(watcher.rec.id_lists[rid], (std::vector<std::string>{"ghost", "peer"})); });

  // Connection lost: UNREACHABLE; grace period over: OFFLINE; back: ONLINE.
  watcher.rec.locked([&] { watcher.rec.presence.clear(); });
  proxy.block(true);
  proxy.cut();
  ASSERT_TRUE(has_state(watcher.rec, "peer", PeerOnlineState::UNREACHABLE));
  ASSERT_TRUE(has_state(watcher.rec, "peer", PeerOnlineState::OFFLINE));
  proxy.block(false);
  ASSERT_TRUE(has_state(watcher.rec, "peer", PeerOnlineState::ONLINE));

  // A new user logging in is seen too; after unsubscribing, nothing more arrives.
  TestClient ghost(srv.ws_url());
  ASSERT_TRUE(ghost.login("ghost"));
  ASSERT_TRUE(has_state(watcher.rec, "ghost", PeerOnlineState::ONLINE));
  rid = rid_of(watcher.client->unsubscribe_peers_online_status({"ghost"}, &rid), rid);
  ASSERT_EQ(watcher.rec.wait_code(rid), 0);
  watcher.rec.locked([&] { watcher.rec.presence.clear(); });
  ghost.client->logout();
  ASSERT_TRUE(ghost.rec.wait_state(ConnectionState::DISCONNECTED));
  std::this_thread::sleep_for(300ms);
  // Nothing about ghost (the peer, still subscribed, may legitimately report a late reconnect).
  watcher.rec.locked([&] {
    for (auto& p : watcher.rec.presence) EXPECT_NE(p.peer_id, "ghost") << static_cast<int>(p.state);
  });
}

TEST(Presence, SubscriptionsSurviveAReconnectAndAreClearedAtLogout) {
  TestServer srv([](server::ServerConfig& c) { c.grace_ms = 200; });
  Proxy proxy(srv.server->port(false));
  ClientConfig cc;
  cc.reconnect_min_ms = 100;
  cc.reconnect_max_ms = 200;
  TestClient watcher(proxy.url(), "testapp", cc);
  ASSERT_TRUE(watcher.login("watcher"));
  int64_t rid = 0;
  rid = rid_of(watcher.client->subscribe_peers_online_status({"later"}, &rid), rid);
  ASSERT_EQ(watcher.rec.wait_code(rid), 0);
  // Cut long enough for the server to forget the session; the SDK restores the subscription.
  proxy.block(true);
  proxy.cut();
  std::this_thread::sleep_for(600ms);
  proxy.block(false);
  ASSERT_TRUE(watcher.rec.wait([&] {
    return std::count_if(watcher.rec.states.begin(), watcher.rec.states.end(),
                         [](auto& s) { return s.first == ConnectionState::CONNECTED; }) == 2;
  }));
  watcher.rec.locked([&] { watcher.rec.presence.clear(); });
  TestClient later(srv.ws_url());
  ASSERT_TRUE(later.login("later"));
  ASSERT_TRUE(has_state(watcher.rec, "later", PeerOnlineState::ONLINE));

  watcher.client->logout();
  ASSERT_TRUE(watcher.rec.wait_state(ConnectionState::DISCONNECTED));
  ASSERT_TRUE(watcher.login("watcher"));
  rid = rid_of(watcher.client->query_peers_by_subscription_option(PeerSubscriptionOption::ONLINE_STATUS, &rid), rid);
  ASSERT_EQ(watcher.rec.wait_code(rid), 0);
  watcher.rec.locked([&] { EXPECT_TRUE(watcher.rec.id_lists[rid].empty()); });
}

TEST(Presence, LimitsAtTheirEdges) {
  TestServer srv;
  TestClient c(srv.ws_url());
  ASSERT_TRUE(c.login("limits"));
  std::vector<std::string> ids;
  for (int i = 0; i < 257; ++i) ids.push_back("u" + std::to_string(i));
  EXPECT_EQ(c.client->query_peers_online_status(ids), static_cast<int>(QueryPeersOnlineStatusErr::INVALID_ARGUMENT));
  ids.pop_back();
  int64_t rid = 0;
  rid = rid_of(c.client->query_peers_online_status(ids, &rid), rid);
  EXPECT_EQ(c.rec.wait_code(rid), 0);
  EXPECT_EQ(c.client->query_peers_online_status({"bad/id"}), static_cast<int>(QueryPeersOnlineStatusErr::INVALID_ARGUMENT));

  // 512 subscriptions in all; one more overflows.
  std::vector<std::string> first, second;
  for (int i = 0; i < 500; ++i) first.push_back("s" + std::to_string(i));
  for (int i = 500; i < 512; ++i) second.push_back("s" + std::to_string(i));
  rid = rid_of(c.client->subscribe_peers_online_status(first, &rid), rid);
  EXPECT_EQ(c.rec.wait_code(rid), 0);
  rid = rid_of(c.client->subscribe_peers_online_status(second, &rid), rid);
  EXPECT_EQ(c.rec.wait_code(rid), 0);
  rid = rid_of(c.client->subscribe_peers_online_status({"s512"}, &rid), rid);
  EXPECT_EQ(c.rec.wait_code(rid), static_cast<int>(PeerSubscriptionStatusErr::OVERFLOW));
  rid = rid_of(c.client->subscribe_peers_online_status({"s0"}, &rid), rid);  // already subscribed: no growth
  EXPECT_EQ(c.rec.wait_code(rid), 0);
}

// ---- user attributes ---------------------------------------------------------------------------

TEST(UserAttributes, EveryOperationAndItsLimits) {
  TestServer srv;
  TestClient a(srv.ws_url()), b(srv.ws_url());
  ASSERT_TRUE(a.login("alice"));
  ASSERT_TRUE(b.login("bob"));
  auto code = [&](int rc, const int64_t& rid) { return rc ? rc : a.rec.wait_code(rid); };
  int64_t rid = 0;
  EXPECT_EQ(code(a.client->set_local_user_attributes({{"k1", "v1"}, {"k2", "v2"}}, &rid), rid), 0);
  EXPECT_EQ(code(a.client->add_or_update_local_user_attributes({{"k2", "v2b"}, {"k3", "v3"}}, &rid), rid), 0);
  EXPECT_EQ(code(a.client->delete_local_user_attributes_by_keys({"k1"}, &rid), rid), 0);
  EXPECT_EQ(b.rec.wait_code(rid_of(b.client->get_user_attributes("alice", &rid), rid)), 0);
  b.rec.locked([&] {
    auto& got = b.rec.user_attrs[rid];
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].key, "k2");
    EXPECT_EQ(got[0].value, "v2b");
    EXPECT_EQ(got[1].key, "k3");
  });
  EXPECT_EQ(b.rec.wait_code(rid_of(b.client->get_user_attributes_by_keys("alice", {"k3", "nope"}, &rid), rid)), 0);
  b.rec.locked([&] {
    ASSERT_EQ(b.rec.user_attrs[rid].size(), 1u);
    EXPECT_EQ(b.rec.user_attrs[rid][0].value, "v3");
  });
  EXPECT_EQ(b.rec.wait_code(rid_of(b.client->get_user_attributes("nobody", &rid), rid)),
            static_cast<int>(AttributeOperationErr::USER_NOT_FOUND));

  // Limits: key 32 bytes, value 8 KB, 32 entries, 16 KB in all; empty values are invalid.
  const int overflow = static_cast<int>(AttributeOperationErr::SIZE_OVERFLOW);
  const int invalid = static_cast<int>(AttributeOperationErr::INVALID_ARGUMENT);
  EXPECT_EQ(code(a.client->set_local_user_attributes({{std::string(32, 'k'), "v"}}, &rid), rid), 0);
  EXPECT_EQ(code(a.client->set_local_user_attributes({{std::string(33, 'k'), "v"}}, &rid), rid), invalid);
  EXPECT_EQ(code(a.client->set_local_user_attributes({{"k", std::string(8192, 'v')}}, &rid), rid), 0);
  EXPECT_EQ(code(a.client->set_local_user_attributes({{"k", std::string(8193, 'v')}}, &rid), rid), overflow);
  EXPECT_EQ(code(a.client->set_local_user_attributes({{"k", ""}}, &rid), rid), invalid);
  std::vector<Attribute> many;
  for (int i = 0; i < 32; ++i) many.push_back({"key" + std::to_string(i), "v"});
  EXPECT_EQ(code(a.client->set_local_user_attributes(many, &rid), rid), 0);
  EXPECT_EQ(code(a.client->add_or_update_local_user_attributes({{"one-more", "v"}}, &rid), rid), overflow);
  std::vector<Attribute> big;  // 16 KB exactly: 2 x (8 + 8184)
  big.push_back({"aaaaaaaa", std::string(8184, 'x')});
  big.push_back({"bbbbbbbb", std::string(8184, 'x')});
  EXPECT_EQ(code(a.client->set_local_user_attributes(big, &rid), rid), 0);
  EXPECT_EQ(code(a.client->add_or_update_local_user_attributes({{"c", "x"}}, &rid), rid), overflow);
  EXPECT_EQ(code(a.client->clear_local_user_attributes(&rid), rid), 0);
  EXPECT_EQ(b.rec.wait_code(rid_of(b.client->get_user_attributes("alice", &rid), rid)), 0);
  b.rec.locked([&] { EXPECT_TRUE(b.rec.user_attrs[rid].empty()); });

  // Cleared at logout.
  EXPECT_EQ(code(a.client->set_local_user_attributes({{"k", "v"}}, &rid), rid), 0);
  a.client->logout();
  ASSERT_TRUE(a.rec.wait_state(ConnectionState::DISCONNECTED));
  // The logout frame reaches rtmd a moment after the SDK reports it; ask until it has.
  int after = -1;
  for (int i = 0; i < 40 && after != static_cast<int>(AttributeOperationErr::USER_NOT_FOUND); ++i) {
    after = b.rec.wait_code(rid_of(b.client->get_user_attributes("alice", &rid), rid));
    std::this_thread::sleep_for(25ms);
  }
  EXPECT_EQ(after, static_cast<int>(AttributeOperationErr::USER_NOT_FOUND));
  EXPECT_EQ(a.client->set_local_user_attributes({{"k", "v"}}), static_cast<int>(AttributeOperationErr::USER_NOT_LOGGED_IN));
}

TEST(UserAttributes, RestoredAfterTheServerForgotTheSession) {
  TestServer srv([](server::ServerConfig& c) { c.grace_ms = 200; });
  Proxy proxy(srv.server->port(false));
  ClientConfig cc;
  cc.reconnect_min_ms = 100;
  cc.reconnect_max_ms = 200;
  TestClient a(proxy.url(), "testapp", cc), b(srv.ws_url());
  ASSERT_TRUE(a.login("alice"));
  ASSERT_TRUE(b.login("bob"));
  int64_t rid = 0;
  ASSERT_EQ(a.rec.wait_code(rid_of(a.client->set_local_user_attributes({{"mood", "ok"}}, &rid), rid)), 0);
  proxy.block(true);
  proxy.cut();
  std::this_thread::sleep_for(600ms);  // past the grace period: rtmd dropped the attributes
  proxy.block(false);
  ASSERT_TRUE(a.rec.wait([&] {
    return std::count_if(a.rec.states.begin(), a.rec.states.end(),
                         [](auto& s) { return s.first == ConnectionState::CONNECTED; }) == 2;
  }));
  // The SDK re-sends its attributes right after the reconnect; poll until rtmd has them.
  for (int attempt = 0; attempt < 20; ++attempt) {
    EXPECT_EQ(b.rec.wait_code(rid_of(b.client->get_user_attributes("alice", &rid), rid)), 0);
    bool ok = b.rec.locked([&] { return b.rec.user_attrs[rid].size() == 1; });
    if (ok) break;
    std::this_thread::sleep_for(50ms);
  }
  b.rec.locked([&] {
    ASSERT_EQ(b.rec.user_attrs[rid].size(), 1u);
    EXPECT_EQ(b.rec.user_attrs[rid][0].value, "ok");
  });
}

// ---- channel attributes ------------------------------------------------------------------------

TEST(ChannelAttributes, EveryOperationWithNotificationsAndLimits) {
  TestServer srv([](server::ServerConfig& c) { c.channel_attr_ttl_ms = 300; });
  TestClient a(srv.ws_url()), b(srv.ws_url());
  ASSERT_TRUE(a.login("alice"));
  ASSERT_TRUE(b.login("bob"));
  ChannelRecorder br;
  auto ch = b.client->create_channel("attrs", &br);
  ASSERT_EQ(ch->join(), 0);
  ASSERT_TRUE(br.wait([&] { return br.joined == 1; }));
  auto code = [&](int rc, const int64_t& rid) { return rc ? rc : a.rec.wait_code(rid); };
  int64_t rid = 0;
  ChannelAttributeOptions notify{true};
  // alice writes without being in the channel.
  EXPECT_EQ(code(a.client->set_channel_attributes("attrs", {{"topic", "t1"}, {"mode", "m"}}, {}, &rid), rid), 0);
  std::this_thread::sleep_for(150ms);
  br.locked([&] { EXPECT_TRUE(br.attr_updates.empty()); });  // no notification unless asked
  EXPECT_EQ(code(a.client->add_or_update_channel_attributes("attrs", {{"topic", "t2"}}, notify, &rid), rid), 0);
  ASSERT_TRUE(br.wait([&] { return br.attr_updates.size() == 1; }));
  br.locked([&] {
    auto& u = br.attr_updates[0];  // the full set
    ASSERT_EQ(u.size(), 2u);
    EXPECT_EQ(u[0].key, "mode");
    EXPECT_EQ(u[1].key, "topic");
    EXPECT_EQ(u[1].value, "t2");
    EXPECT_EQ(u[1].last_update_user_id, "alice");
    EXPECT_GT(u[1].last_update_ts, 0);
  });
  EXPECT_EQ(code(a.client->delete_channel_attributes_by_keys("attrs", {"mode"}, notify, &rid), rid), 0);
  ASSERT_TRUE(br.wait([&] { return br.attr_updates.size() == 2; }));
  br.locked([&] { EXPECT_EQ(br.attr_updates[1].size(), 1u); });
  EXPECT_EQ(b.rec.wait_code(rid_of(b.client->get_channel_attributes("attrs", &rid), rid)), 0);
  b.rec.locked([&] {
    ASSERT_EQ(b.rec.channel_attrs[rid].size(), 1u);
    EXPECT_EQ(b.rec.channel_attrs[rid][0].value, "t2");
  });
  EXPECT_EQ(b.rec.wait_code(rid_of(b.client->get_channel_attributes_by_keys("attrs", {"none"}, &rid), rid)), 0);
  b.rec.locked([&] { EXPECT_TRUE(b.rec.channel_attrs[rid].empty()); });
  EXPECT_EQ(code(a.client->clear_channel_attributes("attrs", notify, &rid), rid), 0);
  ASSERT_TRUE(br.wait([&] { return br.attr_updates.size() == 3 && br.attr_updates[2].empty(); }));

  // Limits: 32 entries, 8 KB values, 32 KB in all.
  const int overflow = static_cast<int>(AttributeOperationErr::SIZE_OVERFLOW);
  std::vector<Attribute> many;
  for (int i = 0; i < 32; ++i) many.push_back({"k" + std::to_string(i), "v"});
  EXPECT_EQ(code(a.client->set_channel_attributes("attrs", many, {}, &rid), rid), 0);
  EXPECT_EQ(code(a.client->add_or_update_channel_attributes("attrs", {{"k32", "v"}}, {}, &rid), rid), overflow);
  std::vector<Attribute> big;
  // Keys and values count: 4 x (2 + 8190) = 32 KB exactly.
  for (int i = 0; i < 4; ++i) big.push_back({"b" + std::to_string(i), std::string(8190, 'x')});
  EXPECT_EQ(code(a.client->set_channel_attributes("attrs", big, {}, &rid), rid), 0);
  EXPECT_EQ(code(a.client->add_or_update_channel_attributes("attrs", {{"c", "x"}}, {}, &rid), rid), overflow);
  EXPECT_EQ(code(a.client->set_channel_attributes("attrs", {{"k", std::string(8193, 'x')}}, {}, &rid), rid), overflow);
  EXPECT_EQ(a.client->set_channel_attributes("bad/channel", {{"k", "v"}}),
            static_cast<int>(AttributeOperationErr::INVALID_ARGUMENT));

  // An empty channel's attributes go away after the configured delay.
  EXPECT_EQ(code(a.client->set_channel_attributes("lonely", {{"k", "v"}}, {}, &rid), rid), 0);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(a.rec.wait_code(rid_of(a.client->get_channel_attributes("lonely", &rid), rid)), 0);
  a.rec.locked([&] { EXPECT_TRUE(a.rec.channel_attrs[rid].empty()); });
  // ... but not while it has members.
  EXPECT_EQ(b.rec.wait_code(rid_of(b.client->get_channel_attributes("attrs", &rid), rid)), 0);
  b.rec.locked([&] { EXPECT_EQ(b.rec.channel_attrs[rid].size(), 4u); });
}

// ---- invitations -------------------------------------------------------------------------------

namespace {
struct Call {
  TestServer srv;
  TestClient caller, callee;
  explicit Call(std::function<void(server::ServerConfig&)> tweak = {})
      : srv(std::move(tweak)), caller(srv.ws_url()), callee(srv.ws_url()) {
    EXPECT_TRUE(caller.login("caller"));
    EXPECT_TRUE(callee.login("callee"));
  }
  LocalInvitationPtr send(const std::string& content = "ring", const std::string& channel = "call-1") {
    auto inv = caller.client->create_local_invitation("callee");
    inv->set_content(content);
    inv->set_channel_id(channel);
    EXPECT_EQ(caller.client->send_local_invitation(inv), 0);
    return inv;
  }
  RemoteInvitationPtr received() {
    EXPECT_TRUE(callee.rec.wait_inv("remote_received"));
    return callee.rec.locked([&] { return callee.rec.remote_invitations.back(); });
  }
};
}  // namespace

TEST(Invitations, AcceptedWithAResponse) {
  Call call;
  auto li = call.send("hello", "room-9");
  // Sent; the callee's receipt may already have come back (it runs on the network thread).
  auto sent = li->state();
  EXPECT_TRUE(sent == LocalInvitationState::SENT_TO_REMOTE || sent == LocalInvitationState::RECEIVED_BY_REMOTE)
      << static_cast<int>(sent);
  auto ri = call.received();
  EXPECT_EQ(ri->caller_id(), "caller");
  EXPECT_EQ(ri->content(), "hello");
  EXPECT_EQ(ri->channel_id(), "room-9");
  EXPECT_EQ(ri->state(), RemoteInvitationState::INVITATION_RECEIVED);
  ASSERT_TRUE(call.caller.rec.wait_inv("local_received"));
  EXPECT_EQ(li->state(), LocalInvitationState::RECEIVED_BY_REMOTE);
  ri->set_response("yes");
  ASSERT_EQ(call.callee.client->accept_remote_invitation(ri), 0);
  ASSERT_TRUE(call.caller.rec.wait_inv("local_accepted:yes"));
  EXPECT_EQ(li->state(), LocalInvitationState::ACCEPTED_BY_REMOTE);
  EXPECT_EQ(li->response(), "yes");
  ASSERT_TRUE(call.callee.rec.wait_inv("remote_accepted"));
  EXPECT_EQ(ri->state(), RemoteInvitationState::ACCEPTED);
  // Misuse after the end.
  EXPECT_EQ(call.callee.client->accept_remote_invitation(ri), static_cast<int>(InvitationApiCallErr::ALREADY_ACCEPT));
  EXPECT_EQ(call.callee.client->refuse_remote_invitation(ri), static_cast<int>(InvitationApiCallErr::ALREADY_ACCEPT));
  EXPECT_EQ(call.caller.client->cancel_local_invitation(li), static_cast<int>(InvitationApiCallErr::ALREADY_END));
  EXPECT_EQ(call.caller.client->send_local_invitation(li), static_cast<int>(InvitationApiCallErr::ALREADY_SENT));
}

TEST(Invitations, RefusedAndCanceled) {
  Call call;
  auto li = call.send();
  auto ri = call.received();
  ri->set_response("busy");
  ASSERT_EQ(call.callee.client->refuse_remote_invitation(ri), 0);
  ASSERT_TRUE(call.caller.rec.wait_inv("local_refused:busy"));
  EXPECT_EQ(li->state(), LocalInvitationState::REFUSED_BY_REMOTE);
  ASSERT_TRUE(call.callee.rec.wait_inv("remote_refused"));
  EXPECT_EQ(ri->state(), RemoteInvitationState::REFUSED);
  EXPECT_EQ(call.callee.client->accept_remote_invitation(ri), static_cast<int>(InvitationApiCallErr::ALREADY_END));

  auto li2 = call.send();
  auto idle = call.caller.client->create_local_invitation("callee");
  EXPECT_EQ(call.caller.client->cancel_local_invitation(idle), static_cast<int>(InvitationApiCallErr::NOT_STARTED));
  ASSERT_TRUE(call.callee.rec.wait([&] { return call.callee.rec.remote_invitations.size() == 2; }));
  ASSERT_EQ(call.caller.client->cancel_local_invitation(li2), 0);
  ASSERT_TRUE(call.caller.rec.wait_inv("local_canceled"));
  EXPECT_EQ(li2->state(), LocalInvitationState::CANCELED);
  ASSERT_TRUE(call.callee.rec.wait_inv("remote_canceled"));
  auto ri2 = call.callee.rec.locked([&] { return call.callee.rec.remote_invitations.back(); });
  EXPECT_EQ(ri2->state(), RemoteInvitationState::CANCELED);
  // Content over 8 KB is refused before sending.
  auto big = call.caller.client->create_local_invitation("callee");
  big->set_content(std::string(8 * 1024 + 1, 'c'));
  EXPECT_EQ(call.caller.client->send_local_invitation(big), static_cast<int>(InvitationApiCallErr::INVALID_ARGUMENT));
}

TEST(Invitations, CalleeOfflineThenPeerOfflineOrDeliveredAtLogin) {
  TestServer srv([](server::ServerConfig& c) { c.invitation_offline_ms = 600; });
  TestClient caller(srv.ws_url());
  ASSERT_TRUE(caller.login("caller"));
  auto li = caller.client->create_local_invitation("sleeper");
  ASSERT_EQ(caller.client->send_local_invitation(li), 0);
  ASSERT_TRUE(caller.rec.wait_inv("local_failure:1"));  // PEER_OFFLINE
  EXPECT_EQ(li->state(), LocalInvitationState::FAILURE);

  auto li2 = caller.client->create_local_invitation("sleeper");
  ASSERT_EQ(caller.client->send_local_invitation(li2), 0);
  std::this_thread::sleep_for(100ms);
  TestClient sleeper(srv.ws_url());
  ASSERT_TRUE(sleeper.login("sleeper"));  // within the window: the invitation arrives
  ASSERT_TRUE(sleeper.rec.wait_inv("remote_received"));
  ASSERT_TRUE(caller.rec.wait_inv("local_received"));
}

TEST(Invitations, NoAcknowledgementThenPeerNoResponse) {
  TestServer srv([](server::ServerConfig& c) { c.invitation_ack_ms = 400; });
  TestClient caller(srv.ws_url());
  ASSERT_TRUE(caller.login("caller"));
  RawWs mute(srv.server->port(false));  // online, but its SDK never acknowledges
  mute.send_text(R"({"op":"login","id":1,"app":"testapp","uid":"mute"})");
  std::string reply;
  ASSERT_TRUE(mute.read(reply));
  auto li = caller.client->create_local_invitation("mute");
  ASSERT_EQ(caller.client->send_local_invitation(li), 0);
  ASSERT_TRUE(caller.rec.wait_inv("local_failure:2"));  // PEER_NO_RESPONSE
}

TEST(Invitations, NoAnswerThenExpiredOnBothSides) {
  Call call([](server::ServerConfig& c) { c.invitation_expire_ms = 400; });
  auto li = call.send();
  auto ri = call.received();
  ASSERT_TRUE(call.caller.rec.wait_inv("local_failure:3"));   // INVITATION_EXPIRE
  ASSERT_TRUE(call.callee.rec.wait_inv("remote_failure:3"));
  EXPECT_EQ(ri->state(), RemoteInvitationState::FAILURE);
  EXPECT_EQ(call.callee.client->accept_remote_invitation(ri), static_cast<int>(InvitationApiCallErr::ALREADY_END));
}

TEST(Invitations, CallerLoggedOutBeforeAnyAnswer) {
  Call call;
  auto li = call.send();
  auto ri = call.received();
  call.caller.client->logout();
  ASSERT_TRUE(call.callee.rec.wait_inv("remote_canceled"));
  // The callee can learn of the logout before the caller's own logout completes: wait for it.
  ASSERT_TRUE(call.caller.rec.wait_state(ConnectionState::DISCONNECTED));
  auto idle = call.caller.client->create_local_invitation("callee");
  EXPECT_EQ(call.caller.client->send_local_invitation(idle), 0);
  ASSERT_TRUE(call.caller.rec.wait_inv("local_failure:4"));  // NOT_LOGGEDIN
}

// ---- tokens over time --------------------------------------------------------------------------

namespace {
const std::string kApp = "970CA35de60c44645bbae8a215061b33";
const std::string kCert = "5CFd2fd1755d40ecb72977518be15d3b";
}  // namespace

TEST(Tokens, WarningThenExpiryAbortsTheSession) {
  TestServer srv([](server::ServerConfig& c) {
    c.apps = {{kApp, kCert}};
    c.token_warning_ms = 1500;
  });
  TestClient c(srv.ws_url(), kApp);
  ASSERT_TRUE(c.login("short", token::build_rtm_token_007(kApp, kCert, "short", 3)));
  ASSERT_TRUE(c.rec.wait([&] { return c.rec.token_will_expire == 1; }, 5s));
  ASSERT_TRUE(c.rec.wait_state(ConnectionState::ABORTED, 6s));
  c.rec.locked([&] {
    EXPECT_EQ(c.rec.states.back().second, ConnectionChangeReason::TOKEN_EXPIRED);
    EXPECT_EQ(c.rec.token_expired, 1);
  });
}

TEST(Tokens, RenewKeepsTheSessionAndReportsErrors) {
  TestServer srv([](server::ServerConfig& c) {
    c.apps = {{kApp, kCert}};
    c.token_warning_ms = 1000;
  });
  TestClient c(srv.ws_url(), kApp);
  ASSERT_TRUE(c.login("renewer", token::build_rtm_token_007(kApp, kCert, "renewer", 3)));
  ASSERT_EQ(c.client->renew_token("garbage"), 0);
  ASSERT_TRUE(c.rec.wait([&] { return c.rec.renewals.size() == 1; }));
  c.rec.locked([&] { EXPECT_EQ(c.rec.renewals[0].second, RenewTokenErr::INVALID_TOKEN); });
  ASSERT_EQ(c.client->renew_token(token::build_rtm_token_007(kApp, kCert, "renewer", 3600, 1000, 1)), 0);
  ASSERT_TRUE(c.rec.wait([&] { return c.rec.renewals.size() == 2; }));
  c.rec.locked([&] { EXPECT_EQ(c.rec.renewals[1].second, RenewTokenErr::TOKEN_EXPIRED); });
  ASSERT_EQ(c.client->renew_token(token::build_rtm_token_007(kApp, kCert, "renewer", 3600)), 0);
  ASSERT_TRUE(c.rec.wait([&] { return c.rec.renewals.size() == 3; }));
  c.rec.locked([&] { EXPECT_EQ(c.rec.renewals[2].second, RenewTokenErr::OK); });
  std::this_thread::sleep_for(3500ms);  // past the first token's expiry
  EXPECT_EQ(c.client->state(), ConnectionState::CONNECTED);
  EXPECT_EQ(c.client->renew_token(""), static_cast<int>(RenewTokenErr::INVALID_ARGUMENT));
}

TEST(Tokens, ExpiredWhileReconnectingThenRenewResumes) {
  auto dir = temp_dir("tok");
  auto srv = std::make_unique<TestServer>([](server::ServerConfig& c) { c.apps = {{kApp, kCert}}; }, dir);
  uint16_t port = srv->server->port(false);
  ClientConfig cc;
  cc.reconnect_min_ms = 100;
  cc.reconnect_max_ms = 200;
  TestClient c(srv->ws_url(), kApp, cc);
  ASSERT_TRUE(c.login("late", token::build_rtm_token_007(kApp, kCert, "late", 2)));
  srv.reset();
  ASSERT_TRUE(c.rec.wait_state(ConnectionState::RECONNECTING));
  std::this_thread::sleep_for(2500ms);  // the token expires while the server is away
  srv = std::make_unique<TestServer>([&](server::ServerConfig& cfg) {
    cfg.apps = {{kApp, kCert}};
    cfg.listen = {{"127.0.0.1", port, false}};
  }, dir);
  ASSERT_TRUE(c.rec.wait([&] { return c.rec.token_expired == 1; }, 5s));
  EXPECT_EQ(c.client->state(), ConnectionState::RECONNECTING);
  ASSERT_EQ(c.client->renew_token(token::build_rtm_token_007(kApp, kCert, "late", 600)), 0);
  ASSERT_TRUE(c.rec.wait_state(ConnectionState::CONNECTED));
}

// ---- rate limits -------------------------------------------------------------------------------

TEST(RateLimits, LoginAndQueriesAreLimitedWithTheirCodes) {
  TestServer srv([](server::ServerConfig& c) {
    c.rate.login = {2, 60000};
    c.rate.query = {3, 60000};
    c.rate.user_attr_write = {2, 60000};
    c.rate.count = {1, 60000};
  });
  for (int i = 0; i < 2; ++i) {
    TestClient c(srv.ws_url());
    ASSERT_TRUE(c.login("hasty"));
  }
  TestClient third(srv.ws_url());
  ASSERT_EQ(third.client->login("", "hasty"), 0);
  ASSERT_TRUE(third.rec.wait([&] { return !third.rec.login_failures.empty(); }));
  third.rec.locked([&] { EXPECT_EQ(third.rec.login_failures[0], LoginErr::TOO_OFTEN); });

  TestClient c(srv.ws_url());
  ASSERT_TRUE(c.login("querier"));
  int64_t rid = 0;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.rec.wait_code(rid_of(c.client->query_peers_online_status({"x"}, &rid), rid)), 0);
  EXPECT_EQ(c.rec.wait_code(rid_of(c.client->query_peers_online_status({"x"}, &rid), rid)),
            static_cast<int>(QueryPeersOnlineStatusErr::TOO_OFTEN));
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(c.rec.wait_code(rid_of(c.client->set_local_user_attributes({{"k", "v"}}, &rid), rid)), 0);
  EXPECT_EQ(c.rec.wait_code(rid_of(c.client->set_local_user_attributes({{"k", "v"}}, &rid), rid)),
            static_cast<int>(AttributeOperationErr::TOO_OFTEN));
  EXPECT_EQ(c.rec.wait_code(rid_of(c.client->get_channel_member_count({"a"}, &rid), rid)), 0);
  EXPECT_EQ(c.rec.wait_code(rid_of(c.client->get_channel_member_count({"a"}, &rid), rid)),
            static_cast<int>(GetChannelMemberCountErr::TOO_OFTEN));
}

TEST(RateLimits, EveryLimitedOperationAnswersItsTooOftenCode) {
  TestServer srv([](server::ServerConfig& c) {
    c.rate.join = {1, 60000};
    c.rate.members = {1, 60000};
    c.rate.subscribe = {1, 60000};
    c.rate.channel_attr_write = {1, 60000};
    c.rate.channel_attr_read = {1, 60000};
    c.rate.user_attr_read = {1, 60000};
    c.rate.renew = {1, 60000};
  });
  TestClient c(srv.ws_url());
  ASSERT_TRUE(c.login("busy"));
  ChannelRecorder r1, r2;
  auto ch1 = c.client->create_channel("one", &r1);
  auto ch2 = c.client->create_channel("two", &r2);
  ASSERT_EQ(ch1->join(), 0);
  ASSERT_TRUE(r1.wait([&] { return r1.joined == 1; }));
  ASSERT_EQ(ch2->join(), 0);
  ASSERT_TRUE(r2.wait([&] { return !r2.join_failures.empty(); }));
  r2.locked([&] { EXPECT_EQ(r2.join_failures[0], JoinChannelErr::TOO_OFTEN); });
  for (int i = 0; i < 2; ++i) ASSERT_EQ(ch1->get_members(), 0);
  ASSERT_TRUE(r1.wait([&] { return r1.members.size() == 2; }));
  r1.locked([&] {
    EXPECT_EQ(r1.members[0].second, GetMembersErr::OK);
    EXPECT_EQ(r1.members[1].second, GetMembersErr::TOO_OFTEN);
  });
  int64_t rid = 0;
  EXPECT_EQ(c.rec.wait_code(rid_of(c.client->subscribe_peers_online_status({"x"}, &rid), rid)), 0);
  EXPECT_EQ(c.rec.wait_code(rid_of(c.client->subscribe_peers_online_status({"y"}, &rid), rid)),
            static_cast<int>(PeerSubscriptionStatusErr::TOO_OFTEN));
  const int attr_too_often = static_cast<int>(AttributeOperationErr::TOO_OFTEN);
  EXPECT_EQ(c.rec.wait_code(rid_of(c.client->set_channel_attributes("one", {{"k", "v"}}, {}, &rid), rid)), 0);
  EXPECT_EQ(c.rec.wait_code(rid_of(c.client->set_channel_attributes("one", {{"k", "v"}}, {}, &rid), rid)), attr_too_often);
  EXPECT_EQ(c.rec.wait_code(rid_of(c.client->get_channel_attributes("one", &rid), rid)), 0);
  EXPECT_EQ(c.rec.wait_code(rid_of(c.client->get_channel_attributes("one", &rid), rid)), attr_too_often);
  EXPECT_EQ(c.rec.wait_code(rid_of(c.client->get_user_attributes("busy", &rid), rid)), 0);
  EXPECT_EQ(c.rec.wait_code(rid_of(c.client->get_user_attributes("busy", &rid), rid)), attr_too_often);
  ASSERT_EQ(c.client->renew_token("anything"), 0);
  ASSERT_EQ(c.client->renew_token("anything"), 0);
  ASSERT_TRUE(c.rec.wait([&] { return c.rec.renewals.size() == 2; }));
  c.rec.locked([&] {
    EXPECT_EQ(c.rec.renewals[0].second, RenewTokenErr::OK);  // an app without a certificate
    EXPECT_EQ(c.rec.renewals[1].second, RenewTokenErr::TOO_OFTEN);
  });
}

TEST(Invitations, AcceptWhileTheCallerIsUnreachableFails) {
  TestServer srv([](server::ServerConfig& c) { c.grace_ms = 5000; });
  Proxy proxy(srv.server->port(false));
  ClientConfig cc;
  cc.reconnect_min_ms = 100;
  cc.reconnect_max_ms = 200;
  TestClient caller(proxy.url(), "testapp", cc), callee(srv.ws_url());
  ASSERT_TRUE(caller.login("caller"));
  ASSERT_TRUE(callee.login("callee"));
  auto li = caller.client->create_local_invitation("callee");
  ASSERT_EQ(caller.client->send_local_invitation(li), 0);
  ASSERT_TRUE(callee.rec.wait_inv("remote_received"));
  ASSERT_TRUE(caller.rec.wait_inv("local_received"));
  auto ri = callee.rec.locked([&] { return callee.rec.remote_invitations.back(); });
  int64_t rid = 0;
  ASSERT_EQ(callee.client->subscribe_peers_online_status({"caller"}, &rid), 0);
  ASSERT_EQ(callee.rec.wait_code(rid), 0);
  proxy.block(true);
  proxy.cut();
  ASSERT_TRUE(caller.rec.wait_state(ConnectionState::RECONNECTING));
  ASSERT_TRUE(has_state(callee.rec, "caller", PeerOnlineState::UNREACHABLE));  // rtmd noticed the drop
  ASSERT_EQ(callee.client->accept_remote_invitation(ri), 0);
  EXPECT_EQ(ri->state(), RemoteInvitationState::ACCEPT_SENT_TO_LOCAL);
  ASSERT_TRUE(callee.rec.wait_inv("remote_failure:2"));  // ACCEPT_FAILURE
  EXPECT_EQ(ri->state(), RemoteInvitationState::FAILURE);
}

TEST(RateLimits, AnAppCanHaveItsOwnLimits) {
  auto dir = temp_dir("apprate");
  std::string path = dir + "/rtmd.json";
  {
    std::ofstream f(path);
    f << R"({"rate_limits": {"query": {"count": 100, "window_ms": 1000}},
             "apps": [{"app_id": "strict", "rate_limits": {"query": {"count": 1, "window_ms": 60000}}},
                      {"app_id": "relaxed"}]})";
  }
  server::ServerConfig cfg = test_config(dir);
  std::string err;
  ASSERT_TRUE(server::load_config_file(path, cfg, err)) << err;
  ASSERT_EQ(cfg.apps.size(), 2u);
  EXPECT_TRUE(cfg.apps[0].has_rate);
  EXPECT_EQ(cfg.apps[0].rate.query.count, 1u);
  server::Server srv(cfg);
  srv.start();
  std::string url = "ws://127.0.0.1:" + std::to_string(srv.port(false));
  TestClient strict(url, "strict"), relaxed(url, "relaxed");
  ASSERT_TRUE(strict.login("s"));
  ASSERT_TRUE(relaxed.login("r"));
  int64_t rid = 0;
  for (int i = 0; i < 2; ++i) EXPECT_EQ(relaxed.rec.wait_code(rid_of(relaxed.client->query_peers_online_status({"x"}, &rid), rid)), 0);
  EXPECT_EQ(strict.rec.wait_code(rid_of(strict.client->query_peers_online_status({"x"}, &rid), rid)), 0);
  EXPECT_EQ(strict.rec.wait_code(rid_of(strict.client->query_peers_online_status({"x"}, &rid), rid)),
            static_cast<int>(QueryPeersOnlineStatusErr::TOO_OFTEN));
  // Bad limits are refused with a message naming the key.
  {
    std::ofstream f(path);
    f << R"({"rate_limits": {"nonsense": {"count": 1}}})";
  }
  server::ServerConfig bad;
  EXPECT_FALSE(server::load_config_file(path, bad, err));
  EXPECT_NE(err.find("rate_limits.nonsense"), std::string::npos);
}

TEST(Invitations, AnswersReachACallerThatResumesInsideTheGracePeriod) {
  TestServer srv([](server::ServerConfig& c) { c.grace_ms = 10000; });
  Proxy proxy(srv.server->port(false));
  ClientConfig cc;
  cc.reconnect_min_ms = 100;
  cc.reconnect_max_ms = 200;
  TestClient caller(proxy.url(), "testapp", cc), callee(srv.ws_url());
  ASSERT_TRUE(caller.login("caller"));
  ASSERT_TRUE(callee.login("callee"));
  auto li = caller.client->create_local_invitation("callee");
  ASSERT_EQ(caller.client->send_local_invitation(li), 0);
  ASSERT_TRUE(callee.rec.wait_inv("remote_received"));
  ASSERT_TRUE(caller.rec.wait_inv("local_received"));
  auto ri = callee.rec.locked([&] { return callee.rec.remote_invitations.back(); });
  int64_t rid = 0;
  ASSERT_EQ(callee.client->subscribe_peers_online_status({"caller"}, &rid), 0);
  ASSERT_EQ(callee.rec.wait_code(rid), 0);
  proxy.block(true);
  proxy.cut();
  ASSERT_TRUE(has_state(callee.rec, "caller", PeerOnlineState::UNREACHABLE));
  ri->set_response("later");
  ASSERT_EQ(callee.client->refuse_remote_invitation(ri), 0);
  ASSERT_TRUE(callee.rec.wait_inv("remote_refused"));
  proxy.block(false);
  ASSERT_TRUE(caller.rec.wait_inv("local_refused:later"));
  EXPECT_EQ(li->state(), LocalInvitationState::REFUSED_BY_REMOTE);
}
