// Bad input: every malformed frame gets a documented error or close, and everyone else keeps working.
#include "support/harness.hpp"
#include "support/raw_ws.hpp"

#include <rapidjson/document.h>

#include <atomic>
#include <thread>

using namespace rtm;
using namespace rtm::test;
using namespace std::chrono_literals;

namespace {

int error_code_of(const std::string& frame, int64_t* id = nullptr) {
  rapidjson::Document d;
  d.Parse(frame.c_str());
  if (!d.IsObject() || !d.HasMember("op") || std::string(d["op"].GetString()) != "error") return -1;
  if (id) *id = d.HasMember("id") ? d["id"].GetInt64() : 0;
  return d["code"].GetInt();
}

int res_code_of(const std::string& frame) {
  rapidjson::Document d;
  d.Parse(frame.c_str());
  if (!d.IsObject() || std::string(d["op"].GetString()) != "res") return -1;
  return d["code"].GetInt();
}

// A pair of clients exchanging acknowledged messages for as long as the test runs.
struct Background {
  TestClient a, b;
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, bad{0};
  std::thread t;
  explicit Background(const std::string& url) : a(url), b(url) {
    EXPECT_TRUE(a.login("bg-a"));
    EXPECT_TRUE(b.login("bg-b"));
    t = std::thread([this] {
      while (!stop) (a.send("bg-b", Message::from_text("ping")) == PeerMessageErr::OK ? ok : bad)++;
    });
  }
  ~Background() {
    stop = true;
    t.join();
  }
};

}  // namespace

TEST(Robustness, MalformedFramesGetDocumentedErrorsAndTheConnectionSurvives) {
  TestServer srv;
  Background bg(srv.ws_url());
  RawWs ws(srv.server->port(false));
  std::string reply;

  ws.send_text("this is not json");
  ASSERT_TRUE(ws.read(reply));
  EXPECT_EQ(error_code_of(reply), static_cast<int>(ProtocolErr::MALFORMED_FRAME));

  ws.send_text(R"({"op":"login","id":1,"app":"testapp","uid":42})");
  ASSERT_TRUE(ws.read(reply));
  int64_t id = -1;
  EXPECT_EQ(error_code_of(reply, &id), static_cast<int>(ProtocolErr::INVALID_FIELD));
  EXPECT_EQ(id, 1);

  ws.send_text(R"({"op":"peer","id":2,"to":"bg-b","type":1,"text":"x","mid":1})");
  ASSERT_TRUE(ws.read(reply));
  EXPECT_EQ(error_code_of(reply), static_cast<int>(ProtocolErr::NOT_LOGGED_IN));

  ws.send_text(R"({"op":"login","id":3,"app":"testapp","uid":"raw"})");
  ASSERT_TRUE(ws.read(reply));
  EXPECT_EQ(res_code_of(reply), 0);

  ws.send_text(R"({"op":"teleport","id":4})");
  ASSERT_TRUE(ws.read(reply));
  EXPECT_EQ(error_code_of(reply, &id), static_cast<int>(ProtocolErr::UNKNOWN_OP));
  EXPECT_EQ(id, 4);

  ws.send_text(R"({"op":"msg","from":"x","type":1,"mid":1,"ts":1})");  // a server-only op
  ASSERT_TRUE(ws.read(reply));
  EXPECT_EQ(error_code_of(reply), static_cast<int>(ProtocolErr::UNKNOWN_OP));

  // Server-only ops without their push fields are still refused as server-only ops.
  for (auto op : {"msg", "kick", "presence", "member", "mcount", "cattrs", "inv"}) {
    ws.send_text(std::string(R"({"op":")") + op + R"(","id":41})");
    ASSERT_TRUE(ws.read(reply));
    EXPECT_EQ(error_code_of(reply, &id), static_cast<int>(ProtocolErr::UNKNOWN_OP)) << op << ": " << reply;
    EXPECT_EQ(id, 41);
  }
  // Numbers no double holds are a field of the wrong type, answered with the request's id.
  ws.send_text(R"({"op":"peer","id":42,"to":"bg-b","type":1,"mid":1e400,"text":"x"})");
  ASSERT_TRUE(ws.read(reply));
  EXPECT_EQ(error_code_of(reply, &id), static_cast<int>(ProtocolErr::INVALID_FIELD)) << reply;
  EXPECT_EQ(id, 42);
  ws.send_text(R"({"op":"peer","id":43,"to":"bg-b","type":1,"mid":)" + std::string(400, '9') + R"(,"text":"x"})");
  ASSERT_TRUE(ws.read(reply));
  EXPECT_EQ(error_code_of(reply, &id), static_cast<int>(ProtocolErr::INVALID_FIELD)) << reply;
  EXPECT_EQ(id, 43);
  ws.send_text(R"({"op":"peer","id":44,"to":"bg-b","type":1,"mid":12345678901234567890123,"text":"x"})");
  ASSERT_TRUE(ws.read(reply));
  EXPECT_EQ(error_code_of(reply, &id), static_cast<int>(ProtocolErr::INVALID_FIELD)) << reply;
  EXPECT_EQ(id, 44);

  ws.send_binary(std::string("\x00\x00\x10\x00{}", 6));  // header length beyond the frame
  ASSERT_TRUE(ws.read(reply));
  EXPECT_EQ(error_code_of(reply), static_cast<int>(ProtocolErr::MALFORMED_FRAME));

  ws.send_text(R"({"op":"ack","n":99})");  // acknowledges messages never sent
  ASSERT_TRUE(ws.read(reply));
  EXPECT_EQ(error_code_of(reply), static_cast<int>(ProtocolErr::INVALID_FIELD));

  // Oversize and bad ids are RTM results, checked by the server as well as by the SDK.
  ws.send_text(R"({"op":"peer","id":5,"to":"bg-b","type":1,"mid":1,"text":")" + std::string(32 * 1024 + 1, 'x') + "\"}");
  ASSERT_TRUE(ws.read(reply));
  EXPECT_EQ(res_code_of(reply), static_cast<int>(PeerMessageErr::INVALID_MESSAGE));
  ws.send_text(R"({"op":"peer","id":6,"to":"no/slash","type":1,"mid":1,"text":"x"})");
  ASSERT_TRUE(ws.read(reply));
  EXPECT_EQ(res_code_of(reply), static_cast<int>(PeerMessageErr::INVALID_USERID));

  // Still a working session after all that.
  ws.send_text(R"({"op":"peer","id":7,"to":"nobody","type":1,"mid":2,"text":"x"})");
  ASSERT_TRUE(ws.read(reply));
  EXPECT_EQ(res_code_of(reply), static_cast<int>(PeerMessageErr::PEER_UNREACHABLE));
  EXPECT_GT(bg.ok.load(), 0);
  EXPECT_EQ(bg.bad.load(), 0);
}

TEST(Robustness, HugeFrameClosesThatConnectionOnly) {
  TestServer srv;
  Background bg(srv.ws_url());
  RawWs ws(srv.server->port(false));
  ws.send_text(R"({"op":"login","id":1,"app":"testapp","uid":"big"})");
  std::string reply;
  ASSERT_TRUE(ws.read(reply));
  int before = bg.ok.load();
  ws.send_frame_header(10u << 20);  // a 10 MB frame is refused from its header alone
  while (ws.read(reply)) {
  }
  EXPECT_EQ(ws.closed_code, 1009);  // message too big
  std::this_thread::sleep_for(200ms);
  EXPECT_GT(bg.ok.load(), before);
  EXPECT_EQ(bg.bad.load(), 0);
}

TEST(Robustness, UpgradeWithoutTheSubprotocolIsRefused) {
  TestServer srv;
  EXPECT_ANY_THROW(RawWs(srv.server->port(false), /*offer_subprotocol=*/false));
}

TEST(Robustness, SilentConnectionIsClosedAfterTheLoginTimeout) {
  TestServer srv([](server::ServerConfig& c) { c.login_timeout_ms = 300; });
  RawWs ws(srv.server->port(false));
  std::string reply;
  EXPECT_FALSE(ws.read(reply));
  EXPECT_EQ(ws.closed_code, close_code::LOGIN_TIMEOUT);
}

TEST(Robustness, SlowConsumerIsClosedWhenItsQueueOverflows) {
  TestServer srv([](server::ServerConfig& c) {
    c.outbound_queue_bytes = 64 * 1024;
    c.peer_timeout_ms = 60000;  // every result below comes from the close, not from a timeout
  });
  RawWs slow(srv.server->port(false));  // logs in, then never reads
  slow.send_text(R"({"op":"login","id":1,"app":"testapp","uid":"slow"})");
  ClientConfig cc;
  cc.max_outbound_bytes = 64u << 20;
  TestClient a(srv.ws_url(), "testapp", cc);
  ASSERT_TRUE(a.login("fast"));
  std::string chunk(30000, 'q');
  SendMessageOptions o;
  for (int i = 0; i < 400; ++i) ASSERT_EQ(a.client->send_message_to_peer("slow", Message::from_text(chunk), o), 0);
  // The server closes the slow connection rather than buffer without bound.
  ASSERT_TRUE(a.rec.wait([&] { return a.rec.results.size() == 400; }, 30s));
  a.rec.locked([&] {
    for (auto& [id, e] : a.rec.results) EXPECT_EQ(e, PeerMessageErr::PEER_UNREACHABLE);
  });
  // The slow side finds its connection closed (the close frame may be stuck behind unread data).
  std::string reply;
  while (slow.read(reply)) {
  }
  EXPECT_NE(slow.error, boost::asio::error::would_block);
  EXPECT_NE(slow.error, boost::asio::error::try_again);
  EXPECT_EQ(a.client->state(), ConnectionState::CONNECTED);
}
