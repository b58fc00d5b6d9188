// The REST API end to end: a backend's HTTP calls against a real rtmd, observed by SDK users.
#include "support/harness.hpp"
#include "support/http.hpp"
#include "support/raw_ws.hpp"

#include <openssl/evp.h>

#include <fstream>
#include <rapidjson/document.h>

#include "core/token/token.hpp"

using namespace rtm;
using namespace rtm::test;
using namespace std::chrono_literals;
namespace http = boost::beast::http;

namespace {

const std::string kBase = "/dev/v2/project/testapp/rtm/";

std::string basic(const std::string& key, const std::string& secret) {
  std::string in = key + ":" + secret;
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return "Basic " + out;
}

const std::map<std::string, std::string> kAuth = {{"Authorization", basic("backend", "s3cret")}};

rapidjson::Document parse(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str());
  EXPECT_FALSE(d.HasParseError()) << body;
  return d;
}

std::string field(const HttpConn::Response& r, const char* key) {
  auto d = parse(r.body());
  if (!d.IsObject() || !d.HasMember(key) || !d[key].IsString()) return "<none>";
  return d[key].GetString();
}

void rest_server(server::ServerConfig& c) {
  c.rest.credentials = {{"backend", "s3cret", {}}, {"other", "pw", {"someapp"}}};
  c.peer_timeout_ms = 800;
}

}  // namespace

TEST(Rest, PeerMessagesReachSdkUsersAndTellTheOutcome) {
  TestServer srv(rest_server);
  HttpConn h(srv.server->port(false), false);
  TestClient bob(srv.ws_url());
  ASSERT_TRUE(bob.login("bob"));

  auto r = h.request(http::verb::post, kBase + "users/backend/peer_messages?wait_for_ack=true",
                     R"({"destination":"bob","payload":"hello from the backend"})", kAuth);
  EXPECT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(field(r, "result"), "success");
  EXPECT_EQ(field(r, "code"), "message_delivered");
  EXPECT_EQ(field(r, "request_id").size(), 16u);
  EXPECT_EQ(r[http::field::content_type], "application/json;charset=utf-8");
  ASSERT_TRUE(bob.rec.wait_messages(1));
  bob.rec.locked([&] {
    EXPECT_EQ(bob.rec.messages[0].from, "backend");
    EXPECT_EQ(bob.rec.messages[0].msg.text, "hello from the backend");
  });

  r = h.request(http::verb::post, kBase + "users/backend/peer_messages",
                R"({"destination":"bob","payload":"no wait","enable_historical_messaging":false})", kAuth);
  EXPECT_EQ(field(r, "code"), "message_sent") << r.body();
  ASSERT_TRUE(bob.rec.wait_messages(2));

  // Offline receivers: stored when asked (and delivered at login), refused otherwise.
  r = h.request(http::verb::post, kBase + "users/backend/peer_messages",
                R"({"destination":"carol","payload":"for later","enable_offline_messaging":true})", kAuth);
  EXPECT_EQ(field(r, "result"), "success");
  EXPECT_EQ(field(r, "code"), "message_offline") << r.body();
  r = h.request(http::verb::post, kBase + "users/backend/peer_messages?wait_for_ack=true",
                R"({"destination":"dave","payload":"lost"})", kAuth);
  EXPECT_EQ(field(r, "result"), "failure");
  EXPECT_EQ(field(r, "code"), "message_unreachable") << r.body();
  TestClient carol(srv.ws_url());
  ASSERT_TRUE(carol.login("carol"));
  ASSERT_TRUE(carol.rec.wait_messages(1));
  carol.rec.locked([&] {
    EXPECT_EQ(carol.rec.messages[0].from, "backend");
    EXPECT_EQ(carol.rec.messages[0].msg.text, "for later");
    EXPECT_TRUE(carol.rec.messages[0].msg.is_offline);
  });

  // A receiver that never acknowledges: the waiting call ends with message_timeout.
  RawWs mute(srv.server->port(false));
  mute.send_text(R"({"op":"login","id":1,"app":"testapp","uid":"mute","sdk":"t"})");
  std::string answer;
  ASSERT_TRUE(mute.read(answer));
  r = h.request(http::verb::post, kBase + "users/backend/peer_messages?wait_for_ack=true",
                R"({"destination":"mute","payload":"unanswered"})", kAuth);
  EXPECT_EQ(field(r, "code"), "message_timeout") << r.body();
}

TEST(Rest, ChannelMessagesFromANonMemberAndEventsHandedOutOnce) {
  TestServer srv(rest_server);
  HttpConn h(srv.server->port(true), true);  // over wss too
  TestClient alice(srv.ws_url()), bob(srv.ws_url());
  ASSERT_TRUE(alice.login("alice"));
  ASSERT_TRUE(bob.login("bob"));
  ChannelRecorder ra, rb;
  auto ca = alice.client->create_channel("room", &ra);
  auto cb = bob.client->create_channel("room", &rb);
  ASSERT_EQ(ca->join(), 0);
  ASSERT_TRUE(ra.wait([&] { return ra.joined == 1; }));
  ASSERT_EQ(cb->join(), 0);
  ASSERT_TRUE(rb.wait([&] { return rb.joined == 1; }));

  auto r = h.request(http::verb::post, kBase + "users/announcer/channel_messages",
                     R"({"channel_name":"room","payload":"to everyone","enable_historical_messaging":true})", kAuth);
  EXPECT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(field(r, "code"), "message_sent");
  ASSERT_TRUE(ra.wait([&] { return ra.messages.size() == 1; }));
  ASSERT_TRUE(rb.wait([&] { return rb.messages.size() == 1; }));
  rb.locked([&] {
    EXPECT_EQ(rb.messages[0].from, "announcer");
    EXPECT_EQ(rb.messages[0].msg.text, "to everyone");
  });

  r = h.request(http::verb::get, kBase + "vendor/channel_events", {}, kAuth);
  auto d = parse(r.body());
  ASSERT_TRUE(d.HasMember("events") && d["events"].IsArray()) << r.body();
  ASSERT_EQ(d["events"].Size(), 2u) << r.body();
  EXPECT_STREQ(d["events"][0]["type"].GetString(), "Join");
  EXPECT_STREQ(d["events"][0]["channel_name"].GetString(), "room");
  EXPECT_STREQ(d["events"][0]["user_id"].GetString(), "alice");
  EXPECT_STREQ(d["events"][1]["user_id"].GetString(), "bob");
  EXPECT_GT(d["events"][0]["ms"].GetInt64(), 1'600'000'000'000);
  // Handed out once.
  d = parse(h.request(http::verb::get, kBase + "vendor/channel_events", {}, kAuth).body());
  EXPECT_EQ(d["events"].Size(), 0u);

  // bob logs out; alice watches his presence, and rtmd records the Logout before it tells her OFFLINE.
  int64_t sub = 0;
  ASSERT_EQ(alice.client->subscribe_peers_online_status({"bob"}, &sub), 0);
  ASSERT_EQ(alice.rec.wait_code(sub), 0);
  ASSERT_EQ(bob.client->logout(), 0);
  ASSERT_TRUE(alice.rec.wait([&] {
    for (auto& p : alice.rec.presence)
      if (p.peer_id == "bob" && p.state == PeerOnlineState::OFFLINE) return true;
    return false;
  }));
  d = parse(h.request(http::verb::get, kBase + "vendor/user_events", {}, kAuth).body());
  ASSERT_EQ(d["events"].Size(), 3u);
  EXPECT_STREQ(d["events"][0]["type"].GetString(), "Login");
  EXPECT_STREQ(d["events"][0]["user_id"].GetString(), "alice");
  EXPECT_STREQ(d["events"][2]["type"].GetString(), "Logout");
  EXPECT_STREQ(d["events"][2]["user_id"].GetString(), "bob");
  EXPECT_FALSE(d["events"][0].HasMember("channel_name"));
  d = parse(h.request(http::verb::get, kBase + "vendor/channel_events", {}, kAuth).body());
  ASSERT_EQ(d["events"].Size(), 1u);  // bob's session ended: he left the channel
  EXPECT_STREQ(d["events"][0]["type"].GetString(), "Leave");

  // Presence and membership (rtmkit extensions).
  d = parse(h.request(http::verb::post, kBase + "users/online_status", R"({"users":["alice","bob"]})", kAuth).body());
  ASSERT_EQ(d["users"].Size(), 2u);
  EXPECT_TRUE(d["users"][0]["online"].GetBool());
  EXPECT_FALSE(d["users"][1]["online"].GetBool());
  d = parse(h.request(http::verb::get, kBase + "channels/room/members", {}, kAuth).body());
  EXPECT_EQ(d["count"].GetUint64(), 1u);
  ASSERT_EQ(d["members"].Size(), 1u);
  EXPECT_STREQ(d["members"][0].GetString(), "alice");
}

TEST(Rest, EventsKeepTheNewestPerApp) {
  TestServer srv([](server::ServerConfig& c) {
    rest_server(c);
    c.rest.events_kept = 3;
  });
  for (auto uid : {"u1", "u2", "u3", "u4", "u5"}) {
    TestClient c(srv.ws_url());
    ASSERT_TRUE(c.login(uid));
    ASSERT_EQ(c.client->logout(), 0);
    ASSERT_TRUE(c.rec.wait([&] { return !c.rec.logouts.empty(); }));
  }
  HttpConn h(srv.server->port(false), false);
  auto d = parse(h.request(http::verb::get, kBase + "vendor/user_events", {}, kAuth).body());
  ASSERT_EQ(d["events"].Size(), 3u);
  EXPECT_STREQ(d["events"][0]["user_id"].GetString(), "u4");  // Logout u4, Login u5, Logout u5
  EXPECT_STREQ(d["events"][2]["type"].GetString(), "Logout");
}

TEST(Rest, EveryBadCallIsRefusedWithItsStatusAndTheServerCarriesOn) {
  TestServer srv([](server::ServerConfig& c) {
    rest_server(c);
    c.rest.messages = {3, 60000};
  });
  HttpConn h(srv.server->port(false), false);
  auto post = [&](const std::string& path, const std::string& body, const std::map<std::string, std::string>& hdr = kAuth) {
    return h.request(http::verb::post, kBase + path, body, hdr);
  };
  auto r = post("users/backend/peer_messages", R"({"destination":"bob","payload":"x"})", {});
  EXPECT_EQ(r.result_int(), 401u);
  EXPECT_EQ(r[http::field::www_authenticate], "Basic realm=\"rtmd\"");
  EXPECT_EQ(field(r, "result"), "failure");
  EXPECT_NE(field(r, "reason"), "<none>");
  EXPECT_EQ(post("users/backend/peer_messages", "{}", {{"Authorization", basic("backend", "wrong")}}).result_int(), 401u);
  EXPECT_EQ(post("users/backend/peer_messages", "{}", {{"Authorization", "Basic !!!"}}).result_int(), 401u);
  EXPECT_EQ(post("users/backend/peer_messages", "{}", {{"Authorization", basic("other", "pw")}}).result_int(), 403u);
  EXPECT_EQ(h.request(http::verb::get, kBase + "users/backend/peer_messages", {}, kAuth).result_int(), 405u);
  EXPECT_EQ(h.request(http::verb::get, kBase + "nothing/here", {}, kAuth).result_int(), 404u);
  EXPECT_EQ(h.request(http::verb::get, "/dev/v2/project/bad%20app/rtm/vendor/user_events", {}, kAuth).result_int(), 404u);
  // Bad bodies. Every message call counts against its app's limit, so each goes to an app of its own
  // (any app id is accepted without apps configured), leaving testapp's calls to the limit below.
  auto on = [&](const std::string& app, const std::string& path, const std::string& body) {
    return h.request(http::verb::post, "/dev/v2/project/" + app + "/rtm/" + path, body, kAuth);
  };
  EXPECT_EQ(on("a1", "users/backend/peer_messages", "not json").result_int(), 400u);
  EXPECT_EQ(on("a2", "users/backend/peer_messages", R"({"destination":"bob"})").result_int(), 400u);
  EXPECT_EQ(on("a3", "users/backend/peer_messages", R"({"destination":"no such/user","payload":"x"})").result_int(), 400u);
  EXPECT_EQ(on("a4", "users/backend/peer_messages", R"({"destination":"bob","payload":7})").result_int(), 400u);
  EXPECT_EQ(on("a5", "users/bad%2Fsender/peer_messages", R"({"destination":"bob","payload":"x"})").result_int(), 400u);
  EXPECT_EQ(on("a6", "users/backend/peer_messages",
               R"({"destination":"bob","payload":")" + std::string(33 * 1024, 'x') + "\"}").result_int(), 413u);
  EXPECT_EQ(on("a7", "users/backend/channel_messages", R"({"payload":"x"})").result_int(), 400u);
  EXPECT_EQ(on("a8", "users/online_status", R"({"users":[]})").result_int(), 400u);
  EXPECT_EQ(on("a10", "users/bad%zzsender/peer_messages", R"({"destination":"bob","payload":"x"})").result_int(), 400u);
  EXPECT_EQ(on("a11", "users/back%", R"({})").result_int(), 404u);
  EXPECT_EQ(on("a9", "users/backend/peer_messages",
               R"({"destination":"bob","payload":"x","enable_offline_messaging":"yes"})").result_int(), 400u);
  // The per-app message limit: the fourth call within the window is refused.
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(post("users/backend/peer_messages", R"({"destination":"bob","payload":"x"})").result_int(), 200u);
  EXPECT_EQ(post("users/backend/peer_messages", R"({"destination":"bob","payload":"x"})").result_int(), 429u);
  // Still serving HTTP and SDK users.
  EXPECT_EQ(h.get("/healthz").result_int(), 200u);
  TestClient a(srv.ws_url());
  EXPECT_TRUE(a.login("alice"));
}

TEST(Rest, TokenAuthenticationSendsOnlyAsItsOwnUser) {
  const std::string app = "970CA35de60c44645bbae8a215061b33", cert = "5CFd2fd1755d40ecb72977518be15d3b";
  TestServer srv([&](server::ServerConfig& c) { c.apps = {{app, cert}}; });
  HttpConn h(srv.server->port(false), false);
  std::string base = "/dev/v2/project/" + app + "/rtm/";
  std::map<std::string, std::string> tok = {{"x-agora-token", token::build_rtm_token_007(app, cert, "svc", 600)},
                                            {"x-agora-uid", "svc"}};
  TestClient bob(srv.ws_url(), app);
  ASSERT_TRUE(bob.login("bob", token::build_rtm_token_007(app, cert, "bob", 600)));
  auto r = h.request(http::verb::post, base + "users/svc/peer_messages?wait_for_ack=true",
                     R"({"destination":"bob","payload":"signed"})", tok);
  EXPECT_EQ(field(r, "code"), "message_delivered") << r.body();
  ASSERT_TRUE(bob.rec.wait_messages(1));
  EXPECT_EQ(h.request(http::verb::post, base + "users/someone/peer_messages", R"({"destination":"bob","payload":"x"})", tok)
                .result_int(),
            403u);
  EXPECT_EQ(h.request(http::verb::get, base + "vendor/user_events", {}, tok).result_int(), 403u);
  auto bad = tok;
  bad["x-agora-uid"] = "mallory";
  EXPECT_EQ(h.request(http::verb::post, base + "users/mallory/peer_messages", R"({"destination":"bob","payload":"x"})", bad)
                .result_int(),
            401u);
  bad = tok;
  bad["x-agora-token"] = token::build_rtm_token_007(app, cert, "svc", 1, 1000, 1);  // expired long ago
  EXPECT_EQ(h.request(http::verb::post, base + "users/svc/peer_messages", R"({"destination":"bob","payload":"x"})", bad)
                .result_int(),
            401u);
  // Without credentials configured, Basic is refused; an unknown app is 404.
  EXPECT_EQ(h.request(http::verb::get, base + "vendor/user_events", {}, kAuth).result_int(), 401u);
  EXPECT_EQ(h.request(http::verb::get, kBase + "vendor/user_events", {}, kAuth).result_int(), 404u);
}

TEST(Rest, PlainHttpOnlyWhereTheOperatorAllowsIt) {
  TestServer srv([](server::ServerConfig& c) {
    rest_server(c);
    c.rest.plain_http = "off";
  });
  HttpConn plain(srv.server->port(false), false), secure(srv.server->port(true), true);
  auto r = plain.request(http::verb::get, kBase + "vendor/user_events", {}, kAuth);
  EXPECT_EQ(r.result_int(), 403u);
  EXPECT_NE(field(r, "reason").find("HTTPS"), std::string::npos);
  EXPECT_EQ(secure.request(http::verb::get, kBase + "vendor/user_events", {}, kAuth).result_int(), 200u);
  EXPECT_EQ(plain.get("/healthz").result_int(), 200u);  // the operational endpoints stay on both
}

TEST(Rest, TheConfigFileKeyAndItsErrors) {
  auto dir = temp_dir("restcfg");
  std::string path = dir + "/rtmd.json";
  auto load = [&](const std::string& json, server::ServerConfig& cfg, std::string& err) {
    std::ofstream(path) << json;
    return server::load_config_file(path, cfg, err);
  };
  server::ServerConfig cfg = test_config(dir);
  std::string err;
  ASSERT_TRUE(load(R"({"rest": {"credentials": [{"key": "k", "secret": "s", "apps": ["testapp"]}],
                               "plain_http": "on", "events_kept": 5,
                               "rate_limits": {"messages": {"count": 7, "window_ms": 2000}}}})",
                   cfg, err))
      << err;
  ASSERT_EQ(cfg.rest.credentials.size(), 1u);
  EXPECT_EQ(cfg.rest.credentials[0].apps, std::vector<std::string>{"testapp"});
  EXPECT_EQ(cfg.rest.plain_http, "on");
  EXPECT_EQ(cfg.rest.events_kept, 5u);
  EXPECT_EQ(cfg.rest.messages.count, 7u);
  EXPECT_EQ(cfg.rest.messages.window_ms, 2000u);
  {  // and it serves: the credentials work for their app
    server::Server srv(cfg);
    srv.start();
    HttpConn h(srv.port(false), false);
    EXPECT_EQ(h.request(http::verb::get, kBase + "vendor/user_events", {}, {{"Authorization", basic("k", "s")}})
                  .result_int(),
              200u);
  }
  for (auto [json, key] : std::vector<std::pair<std::string, std::string>>{
           {R"({"rest": {"plain_http": "sometimes"}})", "rest.plain_http"},
           {R"({"rest": {"credentials": [{"key": "k"}]}})", "rest.credentials"},
           {R"({"rest": {"credentials": [{"key": "k", "secret": "s", "role": "x"}]}})", "rest.credentials.role"},
           {R"({"rest": {"rate_limits": {"logins": {"count": 1}}}})", "rest.rate_limits.logins"},
           {R"({"rest": {"rate_limits": {"events": {"window_ms": 0}}}})", "rest.rate_limits.events.window_ms"},
           {R"({"rest": {"whatever": 1}})", "rest.whatever"}}) {
    server::ServerConfig bad;
    EXPECT_FALSE(load(json, bad, err)) << json;
    EXPECT_NE(err.find("'" + key), std::string::npos) << err;
  }
  server::RestCredential rc;
  EXPECT_TRUE(server::parse_rest_credential("key:sec:ret", rc));  // apps after the second colon
  EXPECT_EQ(rc.secret, "sec");
  EXPECT_EQ(rc.apps, std::vector<std::string>{"ret"});
  EXPECT_FALSE(server::parse_rest_credential("keyonly", rc));
  EXPECT_FALSE(server::parse_rest_credential(":secret", rc));
  EXPECT_FALSE(server::parse_rest_credential("key:", rc));
}
