// rtmd's WebSocket layer (RFC 6455) byte by byte: the upgrade, framing, fragmentation, control
// frames, the close handshake, keep-alive, and every violation with its close code.
#include "support/harness.hpp"
#include "support/raw_ws.hpp"

#include "core/protocol/websocket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

using namespace rtm;
using namespace rtm::test;
using namespace std::chrono_literals;

namespace {

// A WebSocket client written out by hand, so that any byte can be sent.
class Wire {
 public:
  explicit Wire(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) ADD_FAILURE() << "connect";
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~Wire() { ::close(fd_); }

  static std::string request(const std::string& extra = "Sec-WebSocket-Version: 13\r\n",
                             const std::string& key = "dGhlIHNhbXBsZSBub25jZQ==") {
    return "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Protocol: rtm.v1\r\n" + extra + "\r\n";
  }

  void send_raw(const std::string& bytes) {
    ASSERT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  }

  // The response head, up to the blank line.
  std::string read_head() {
    std::string head;
    while (head.find("\r\n\r\n") == std::string::npos) {
      char c;
      if (!read_exact(&c, 1)) break;
      head += c;
    }
    return head;
  }

  bool upgrade() {
    send_raw(request());
    auto head = read_head();
    // The accept value for the RFC's sample key (RFC 6455 §1.3).
    return head.rfind("HTTP/1.1 101", 0) == 0 && head.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") != std::string::npos &&
           head.find("Sec-WebSocket-Protocol: rtm.v1") != std::string::npos;
  }

  // A frame as a client sends it: masked unless told otherwise.
  static std::string frame(uint8_t first, const std::string& payload, bool masked = true) {
    std::string f;
    f += static_cast<char>(first);
    uint8_t m = masked ? 0x80 : 0;
    if (payload.size() < 126) {
      f += static_cast<char>(m | payload.size());
    } else if (payload.size() < 65536) {
      f += static_cast<char>(m | 126);
      f += static_cast<char>(payload.size() >> 8);
      f += static_cast<char>(payload.size() & 0xff);
    } else {
      f += static_cast<char>(m | 127);
      for (int i = 7; i >= 0; --i) f += static_cast<char>((uint64_t{payload.size()} >> (8 * i)) & 0xff);
    }
    if (!masked) return f + payload;
    const unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
    f.append(reinterpret_cast<const char*>(key), 4);
    for (std::size_t i = 0; i < payload.size(); ++i) f += static_cast<char>(payload[i] ^ key[i % 4]);
    return f;
  }
  void send_frame(uint8_t first, const std::string& payload, bool masked = true) { send_raw(frame(first, payload, masked)); }
  void text(const std::string& s) { send_frame(0x81, s); }

  struct Frame {
    int op = -1;  // -1: the connection ended
    std::string payload;
    int close_code() const {
      return payload.size() >= 2 ? (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1])
                                 : 0;
    }
  };

  Frame read_frame() {
    Frame f;
    unsigned char h[2];
    if (!read_exact(h, 2)) return f;
    EXPECT_EQ(h[1] & 0x80, 0) << "server frames are not masked";
    uint64_t len = h[1] & 0x7f;
    if (len == 126 || len == 127) {
      unsigned char x[8];
      int n = len == 126 ? 2 : 8;
      if (!read_exact(x, n)) return f;
      len = 0;
      for (int i = 0; i < n; ++i) len = (len << 8) | x[i];
    }
    f.payload.resize(len);
    if (len && !read_exact(f.payload.data(), len)) return f;
    f.op = h[0] & 0x0f;
    EXPECT_TRUE(h[0] & 0x80) << "rtmd does not fragment";
    return f;
  }

  // Frames until a close frame (returned) or the end of the connection (op -1).
  Frame until_close() {
    for (;;) {
      auto f = read_frame();
      if (f.op == -1 || f.op == 8) return f;
    }
  }

  // True when the server ended the TCP connection within `within`.
  bool ended(std::chrono::milliseconds within) {
    auto until = std::chrono::steady_clock::now() + within;
    char buf[4096];
    while (std::chrono::steady_clock::now() < until) {
      pollfd p{fd_, POLLIN, 0};
      int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()).count());
      if (::poll(&p, 1, std::max(left, 1)) <= 0) continue;
      ssize_t r = ::recv(fd_, buf, sizeof buf, 0);
      if (r <= 0) return true;
    }
    return false;
  }

  bool login(const std::string& uid) {
    text(R"({"op":"login","id":1,"app":"testapp","uid":")" + uid + "\"}");
    auto f = read_frame();
    return f.op == 1 && f.payload.find(R"("op":"res")") != std::string::npos &&
           f.payload.find(R"("code":0)") != std::string::npos;
  }

 private:
  bool read_exact(void* p, std::size_t n) {
    auto* c = static_cast<char*>(p);
    while (n) {
      pollfd pf{fd_, POLLIN, 0};
      if (::poll(&pf, 1, 10000) <= 0) return false;
      ssize_t r = ::recv(fd_, c, n, 0);
      if (r <= 0) return false;
      c += r;
      n -= static_cast<std::size_t>(r);
    }
    return true;
  }
  int fd_ = -1;
};

constexpr const char* kLogin = R"({"op":"login","id":1,"app":"testapp","uid":"frag"})";

}  // namespace

TEST(WebSocket, UpgradeAnswersWithTheAcceptKeyAndFramesSentBehindTheRequestAreRead) {
  TestServer srv;
  Wire w(srv.server->port(false));
  // The request and the first frame in one write.
  w.send_raw(Wire::request() + Wire::frame(0x81, kLogin));
  auto head = w.read_head();
  EXPECT_EQ(head.rfind("HTTP/1.1 101", 0), 0u) << head;
  EXPECT_NE(head.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), std::string::npos);
  auto f = w.read_frame();
  EXPECT_EQ(f.op, 1);
  EXPECT_NE(f.payload.find(R"("code":0)"), std::string::npos) << f.payload;
}

TEST(WebSocket, UpgradeWithAnotherVersionOrABadKeyIsRefused) {
  TestServer srv;
  {
    Wire w(srv.server->port(false));
    w.send_raw(Wire::request("Sec-WebSocket-Version: 8\r\n"));
    auto head = w.read_head();
    EXPECT_EQ(head.rfind("HTTP/1.1 426", 0), 0u) << head;
    EXPECT_NE(head.find("Sec-WebSocket-Version: 13"), std::string::npos);
    EXPECT_TRUE(w.ended(2s));
  }
  {
    Wire w(srv.server->port(false));
    w.send_raw(Wire::request("Sec-WebSocket-Version: 13\r\n", "short"));
    EXPECT_EQ(w.read_head().rfind("HTTP/1.1 400", 0), 0u);
    EXPECT_TRUE(w.ended(2s));
  }
  {
    Wire w(srv.server->port(false));
    w.send_raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n");  // plain HTTP
    EXPECT_EQ(w.read_head().rfind("HTTP/1.1 400", 0), 0u);
  }
  // The server still upgrades others.
  Wire ok(srv.server->port(false));
  EXPECT_TRUE(ok.upgrade());
}

TEST(WebSocket, FragmentedMessagesWithControlFramesBetweenAreReassembled) {
  TestServer srv;
  Wire w(srv.server->port(false));
  ASSERT_TRUE(w.upgrade());
  std::string login = kLogin;
  w.send_frame(0x01, login.substr(0, 10));         // text, not final
  w.send_frame(0x89, "are you there");             // a ping between fragments
  w.send_frame(0x00, login.substr(10, 20));        // continuation
  w.send_frame(0x80, login.substr(30));            // final continuation
  auto pong = w.read_frame();
  EXPECT_EQ(pong.op, 10);
  EXPECT_EQ(pong.payload, "are you there");
  auto res = w.read_frame();
  EXPECT_EQ(res.op, 1);
  EXPECT_NE(res.payload.find(R"("code":0)"), std::string::npos) << res.payload;
  // Byte by byte works too.
  std::string q = Wire::frame(0x81, R"({"op":"query","id":2,"uids":["frag"]})");
  for (char c : q) w.send_raw(std::string(1, c));
  auto r2 = w.read_frame();
  EXPECT_NE(r2.payload.find(R"("id":2)"), std::string::npos) << r2.payload;
}

TEST(WebSocket, ClientCloseIsAnsweredWithTheSameCodeAndTheServerEndsTcp) {
  TestServer srv;
  Wire w(srv.server->port(false));
  ASSERT_TRUE(w.upgrade());
  ASSERT_TRUE(w.login("closer"));
  w.send_frame(0x88, std::string("\x03\xe8", 2) + "bye");
  auto f = w.until_close();
  EXPECT_EQ(f.op, 8);
  EXPECT_EQ(f.close_code(), 1000);
  EXPECT_TRUE(w.ended(2s));
}

// Every violation closes that connection with its code; the server keeps serving others.
TEST(WebSocket, ProtocolViolationsCloseWithTheirCodes) {
  TestServer srv;
  struct Case {
    const char* what;
    std::string bytes;
    int code;
  };
  std::string big(126, 'p');
  std::string huge_len = {'\x82', '\xff', '\x80', 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4};
  std::vector<Case> cases = {
      {"unmasked frame", Wire::frame(0x81, kLogin, false), 1002},
      {"reserved bit", Wire::frame(0xc1, kLogin), 1002},
      {"unknown opcode", Wire::frame(0x83, "x"), 1002},
      {"unknown control opcode", Wire::frame(0x8b, "x"), 1002},
      {"continuation without a start", Wire::frame(0x80, "x"), 1002},
      {"new message inside a fragmented one", Wire::frame(0x01, "{") + Wire::frame(0x81, "{}"), 1002},
      {"fragmented ping", Wire::frame(0x09, "x"), 1002},
      {"ping over 125 bytes", Wire::frame(0x89, big), 1002},
      {"64-bit length with the top bit set", huge_len, 1002},
      {"close with one byte", Wire::frame(0x88, "\x03"), 1002},
      {"close with a reserved code", Wire::frame(0x88, std::string("\x03\xed", 2)), 1002},
      {"text that is not UTF-8", Wire::frame(0x81, "{\"op\":\"\xc3\x28\"}"), 1007},
      {"fragments that are not UTF-8 together", Wire::frame(0x01, "\xe2\x82") + Wire::frame(0x80, "\x28"), 1007},
      {"fragments over max_frame_bytes", Wire::frame(0x02, std::string(200000, 'a')) + Wire::frame(0x80, std::string(70000, 'b')), 1009},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.what);
    Wire w(srv.server->port(false));
    ASSERT_TRUE(w.upgrade());
    ASSERT_TRUE(w.login(std::string("v") + std::to_string(&c - cases.data())));
    w.send_raw(c.bytes);
    auto f = w.until_close();
    EXPECT_EQ(f.op, 8);
    EXPECT_EQ(f.close_code(), c.code);
    EXPECT_TRUE(w.ended(4s));
  }
  Wire ok(srv.server->port(false));
  ASSERT_TRUE(ok.upgrade());
  EXPECT_TRUE(ok.login("still-fine"));
}

TEST(WebSocket, SilentPeerIsPingedThenDroppedWithoutACloseFrame) {
  TestServer srv([](server::ServerConfig& c) { c.idle_timeout_ms = 600; });
  Wire silent(srv.server->port(false));
  ASSERT_TRUE(silent.upgrade());
  ASSERT_TRUE(silent.login("silent"));
  Wire chatty(srv.server->port(false));
  ASSERT_TRUE(chatty.upgrade());
  ASSERT_TRUE(chatty.login("chatty"));

  // The one that answers its pings stays.
  std::atomic<int> pongs{0};
  std::thread answer([&] {
    for (int i = 0; i < 4; ++i) {
      auto p = chatty.read_frame();
      if (p.op != 9) return;
      chatty.send_frame(0x8a, p.payload);
      ++pongs;
    }
  });

  auto t0 = std::chrono::steady_clock::now();
  auto ping = silent.read_frame();
  EXPECT_EQ(ping.op, 9);
  // No pong: the connection ends, with no close frame, before another full period has passed.
  auto end = silent.read_frame();
  EXPECT_EQ(end.op, -1);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1500ms);

  answer.join();
  EXPECT_EQ(pongs.load(), 4);
  chatty.text(R"({"op":"query","id":5,"uids":["chatty"]})");
  Wire::Frame r;
  do r = chatty.read_frame(); while (r.op == 9);
  EXPECT_NE(r.payload.find(R"("id":5)"), std::string::npos) << r.payload;
}

TEST(WebSocket, LargeMessagesBothWaysOverTls) {
  // 200 KB binary frames through wss: several TLS records each way, reassembled.
  TestServer srv;
  TestClient a(srv.wss_url()), b(srv.wss_url());
  ASSERT_TRUE(a.login("big-a"));
  ASSERT_TRUE(b.login("big-b"));
  std::string raw(30000, '\0');
  for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<char>(i * 7);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(a.send("big-b", Message::from_raw(raw, "d")), PeerMessageErr::OK);
  EXPECT_TRUE(b.rec.wait([&] { return b.rec.messages.size() == 20; }, 10s));
  b.rec.locked([&] {
    for (auto& m : b.rec.messages) EXPECT_EQ(m.msg.raw, raw);
  });
}

// ---- the client side: a hand-written server sends what rtmd never would ---------------------

namespace {

// Accepts one rtmkit client, completes its upgrade, reads its login frame, then runs `script`.
class FakeServer {
 public:
  FakeServer() {
    lfd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(lfd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(lfd_, 4);
    socklen_t len = sizeof a;
    ::getsockname(lfd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~FakeServer() {
    if (fd_ >= 0) ::close(fd_);
    ::close(lfd_);
  }
  std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_); }

  // The client's upgrade and login; false if they did not come.
  bool accept_client() {
    pollfd p{lfd_, POLLIN, 0};
    if (::poll(&p, 1, 10000) <= 0) return false;
    fd_ = ::accept(lfd_, nullptr, nullptr);
    std::string head;
    while (head.find("\r\n\r\n") == std::string::npos) {
      char c;
      if (!read_exact(&c, 1)) return false;
      head += c;
    }
    auto k = head.find("Sec-WebSocket-Key: ");
    if (k == std::string::npos) return false;
    std::string key = head.substr(k + 19, head.find("\r\n", k) - k - 19);
    send_raw("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
             rtm::ws::accept_key(key) + "\r\nSec-WebSocket-Protocol: rtm.v1\r\n\r\n");
    auto login = read_client_frame();
    return login.first == 1 && login.second.find("\"login\"") != std::string::npos;
  }

  void send_raw(const std::string& b) { ::send(fd_, b.data(), b.size(), MSG_NOSIGNAL); }
  void send_frame(uint8_t first, const std::string& payload) { send_raw(Wire::frame(first, payload, false)); }

  // One frame from the client, unmasked: {opcode, payload}; {-1, ""} when the connection ended.
  std::pair<int, std::string> read_client_frame() {
    unsigned char h[2];
    if (!read_exact(h, 2)) return {-1, ""};
    EXPECT_TRUE(h[1] & 0x80) << "client frames are masked";
    uint64_t len = h[1] & 0x7f;
    if (len >= 126) {
      unsigned char x[8];
      int n = len == 126 ? 2 : 8;
      if (!read_exact(x, n)) return {-1, ""};
      len = 0;
      for (int i = 0; i < n; ++i) len = (len << 8) | x[i];
    }
    unsigned char key[4];
    if (!read_exact(key, 4)) return {-1, ""};
    std::string p(len, '\0');
    if (len && !read_exact(p.data(), len)) return {-1, ""};
    for (std::size_t i = 0; i < len; ++i) p[i] = static_cast<char>(p[i] ^ key[i % 4]);
    return {h[0] & 0x0f, p};
  }

  // The close code of the client's close frame (skipping other frames), or -1.
  int client_close_code() {
    for (;;) {
      auto [op, p] = read_client_frame();
      if (op == -1) return -1;
      if (op == 8) return p.size() >= 2 ? (static_cast<unsigned char>(p[0]) << 8) | static_cast<unsigned char>(p[1]) : 0;
    }
  }

 private:
  bool read_exact(void* p, std::size_t n) {
    auto* c = static_cast<char*>(p);
    while (n) {
      pollfd pf{fd_, POLLIN, 0};
      if (::poll(&pf, 1, 10000) <= 0) return false;
      ssize_t r = ::recv(fd_, c, n, 0);
      if (r <= 0) return false;
      c += r;
      n -= static_cast<std::size_t>(r);
    }
    return true;
  }
  int lfd_ = -1, fd_ = -1;
  uint16_t port_ = 0;
};

}  // namespace

TEST(WebSocket, ClientTakesFragmentedFramesAndAnswersPingsFromTheServer) {
  FakeServer fs;
  TestClient a(fs.url());
  ASSERT_EQ(a.client->login("", "frag-client"), 0);
  ASSERT_TRUE(fs.accept_client());
  std::string res = R"({"op":"res","id":1,"code":0,"hb":10000,"version":"fake"})";
  fs.send_frame(0x01, res.substr(0, 9));
  fs.send_frame(0x89, "ping-payload");
  fs.send_frame(0x80, res.substr(9));
  auto pong = fs.read_client_frame();
  EXPECT_EQ(pong.first, 10);
  EXPECT_EQ(pong.second, "ping-payload");
  EXPECT_TRUE(a.rec.wait_state(ConnectionState::CONNECTED));
}

TEST(WebSocket, ClientClosesWithTheRightCodeWhenTheServerBreaksTheProtocol) {
  struct Case {
    const char* what;
    std::string bytes;
    int code;
  };
  std::string masked = Wire::frame(0x81, R"({"op":"kick","reason":1})", true);
  std::string big_len = {'\x82', '\x7f', 0, 0, 0, 0, '\x10', 0, 0, 0};  // 256 MiB announced
  std::vector<Case> cases = {
      {"masked server frame", masked, 1002},
      {"reserved bit", Wire::frame(0xc1, "{}", false), 1002},
      {"ping over 125 bytes", Wire::frame(0x89, std::string(126, 'p'), false), 1002},
      {"continuation without a start", Wire::frame(0x80, "{}", false), 1002},
      {"text that is not UTF-8", Wire::frame(0x81, "\xc3\x28", false), 1007},
      {"message over max_frame_bytes", big_len, 1009},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.what);
    FakeServer fs;
    ClientConfig cc;
    cc.login_timeout_ms = 3000;
    TestClient a(fs.url(), "testapp", cc);
    ASSERT_EQ(a.client->login("", "strict-client"), 0);
    ASSERT_TRUE(fs.accept_client());
    fs.send_raw(c.bytes);
    EXPECT_EQ(fs.client_close_code(), c.code);
  }
}

TEST(WebSocket, DeeplyNestedJsonIsMalformedNotAStackOverflow) {
  TestServer srv;
  Wire w(srv.server->port(false));
  ASSERT_TRUE(w.upgrade());
  ASSERT_TRUE(w.login("nest"));
  w.text("{\"op\":" + std::string(200000, '['));
  auto f = w.read_frame();
  EXPECT_EQ(f.op, 1);
  EXPECT_NE(f.payload.find(R"("code":1001)"), std::string::npos) << f.payload;
  w.text(R"({"op":"query","id":7,"uids":["nest"]})");
  EXPECT_NE(w.read_frame().payload.find(R"("id":7)"), std::string::npos);
}

TEST(WebSocket, PeerThatPingsWithoutReadingIsClosedAsASlowConsumer) {
  TestServer srv([](server::ServerConfig& c) { c.outbound_queue_bytes = 64 * 1024; });
  Wire w(srv.server->port(false));
  ASSERT_TRUE(w.upgrade());
  ASSERT_TRUE(w.login("pinger"));
  // Far more pongs than the socket buffers hold, none of them read while sending.
  std::string batch;
  for (int i = 0; i < 1000; ++i) batch += Wire::frame(0x89, std::string(125, 'p'));
  for (int i = 0; i < 60; ++i) w.send_raw(batch);
  auto f = w.until_close();
  EXPECT_EQ(f.op, 8);
  EXPECT_EQ(f.close_code(), close_code::SLOW_CONSUMER);
  Wire ok(srv.server->port(false));
  ASSERT_TRUE(ok.upgrade());
  EXPECT_TRUE(ok.login("after-pinger"));
}
