// rtmd's TLS stream where ordinary clients do not take it: a peer that ends TLS or TCP abruptly, a
// reader too slow for what it is sent while it keeps sending, clients that never finish their
// handshakes.
#include "support/harness.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <rapidjson/document.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <thread>

using namespace rtm;
using namespace rtm::test;
using namespace std::chrono_literals;

namespace {

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;

void set_recv_timeout(int fd, int seconds) {
  timeval tv{seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

// Reads and discards raw bytes until the peer ends the connection. Returns 0 for an orderly end,
// else the errno (EAGAIN: nothing within the receive timeout).
int drain_until_closed(int fd) {
  char buf[4096];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n == 0) return 0;
    if (n < 0) return errno;
  }
}

// A synchronous wss client that speaks rtm.v1 frames itself.
class RawWss {
 public:
  explicit RawWss(uint16_t port, int rcvbuf = 0) : ctx_(ssl::context::tls_client), ws_(ioc_, ctx_) {
    ctx_.set_verify_mode(ssl::verify_none);
    tcp::socket& s = socket();
    s.open(tcp::v4());
    if (rcvbuf) s.set_option(net::socket_base::receive_buffer_size(rcvbuf));
    s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    ws_.next_layer().handshake(ssl::stream_base::client);
    ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
      req.set(boost::beast::http::field::sec_websocket_protocol, "rtm.v1");
    }));
    ws_.read_message_max(1 << 20);
    ws_.handshake("127.0.0.1", "/");
  }

  tcp::socket& socket() { return ws_.next_layer().next_layer(); }
  ssl::stream<tcp::socket>& tls() { return ws_.next_layer(); }

  void send(const std::string& frame) {
    ws_.text(true);
    ws_.write(net::buffer(frame));
  }
  bool read(rapidjson::Document& d) {
    boost::beast::flat_buffer buf;
    boost::beast::error_code ec;
    ws_.read(buf, ec);
    if (ec) return false;
    d.Parse(boost::beast::buffers_to_string(buf.data()).c_str());
    return d.IsObject() && d.HasMember("op");
  }
  bool login(const std::string& uid) {
    send(R"({"op":"login","id":1,"app":"testapp","uid":")" + uid + "\"}");
    rapidjson::Document d;
    return read(d) && std::string(d["op"].GetString()) == "res" && d["code"].GetInt() == 0;
  }

 private:
  net::io_context ioc_;
  ssl::context ctx_;
  websocket::stream<ssl::stream<tcp::socket>> ws_;
};

bool connections_drop_to(TestServer& srv, std::size_t n) {
  for (int i = 0; i < 200; ++i) {
    if (srv.server->connection_count() == n) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

void expect_server_still_serves(TestServer& srv) {
  RawWss c(srv.server->port(true));
  EXPECT_TRUE(c.login("tls-after"));
}

}  // namespace

TEST(TlsStream, PeerCloseNotifyEndsTheConnection) {
  TestServer srv;
  RawWss c(srv.server->port(true));
  ASSERT_TRUE(c.login("tls-notify"));
  ASSERT_EQ(srv.server->connection_count(), 1u);
  // close_notify without a WebSocket close: rtmd reads end of stream and closes its side, well
  // before its idle timeout would.
  auto start = std::chrono::steady_clock::now();
  boost::system::error_code ec;
  c.tls().shutdown(ec);  // returns when rtmd has closed the connection
  EXPECT_TRUE(connections_drop_to(srv, 0));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  expect_server_still_serves(srv);
}

TEST(TlsStream, PeerThatDropsTcpInTheMiddleOfAFrameIsCleanedUp) {
  TestServer srv;
  for (bool reset : {false, true}) {
    RawWss c(srv.server->port(true));
    ASSERT_TRUE(c.login(reset ? "tls-reset" : "tls-fin"));
    // A masked binary frame announcing 1000 bytes, of which 10 arrive; then TCP ends without
    // close_notify, by FIN or by RST.
    unsigned char part[2 + 2 + 4 + 10] = {0x82, 0x80 | 126, 0x03, 0xe8, 1, 2, 3, 4};
    net::write(c.tls(), net::buffer(part));
    int fd = c.socket().native_handle();
    if (reset) {
      linger l{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    ::shutdown(fd, SHUT_RDWR);
    boost::system::error_code ignored;
    c.socket().close(ignored);
    EXPECT_TRUE(connections_drop_to(srv, 0)) << (reset ? "after RST" : "after FIN");
  }
  expect_server_still_serves(srv);
}

TEST(TlsStream, SlowReaderGetsLargeFramesIntactAndIsReadMeanwhile) {
  TestServer srv;
  uint16_t port = srv.server->port(true);
  // A small receive window: rtmd's writes to this client block long before 1.8 MB are through.
  RawWss slow(port, 4096);
  RawWss sender(port);
  ASSERT_TRUE(slow.login("tls-slow"));
  ASSERT_TRUE(sender.login("tls-sender"));

  constexpr int kCount = 60;
  constexpr std::size_t kSize = 30000;
  auto text_of = [](int i) { return std::string(kSize, static_cast<char>('a' + i % 26)); };
  for (int i = 0; i < kCount; ++i)
    sender.send(R"({"op":"peer","id":)" + std::to_string(10 + i) + R"(,"to":"tls-slow","type":1,"text":")" +
                text_of(i) + R"(","mid":)" + std::to_string(1 + i) + "}");
  std::this_thread::sleep_for(1s);

  // While rtmd waits to write to it, the slow client's own message must still be read and passed on.
  slow.send(R"({"op":"peer","id":2,"to":"tls-sender","type":1,"text":"while-blocked","mid":9001})");
  rapidjson::Document d;
  bool got = false;
  for (int i = 0; i < 10 && !got; ++i) {
    ASSERT_TRUE(sender.read(d));
    got = std::string(d["op"].GetString()) == "msg" && std::string(d["text"].GetString()) == "while-blocked";
  }
  EXPECT_TRUE(got);

  for (int i = 0; i < kCount; ++i) {
    ASSERT_TRUE(slow.read(d)) << "message " << i;
    ASSERT_EQ(std::string(d["op"].GetString()), "msg");
    EXPECT_EQ(std::string(d["from"].GetString()), "tls-sender");
    EXPECT_TRUE(std::string(d["text"].GetString()) == text_of(i)) << "message " << i << " corrupted";
  }
  slow.send(R"({"op":"ack","n":)" + std::to_string(kCount) + "}");
  int ok = 0;
  for (int i = 0; i < kCount + 5 && ok < kCount; ++i) {
    ASSERT_TRUE(sender.read(d));
    if (std::string(d["op"].GetString()) == "res" && d["id"].GetInt() >= 10) ok += d["code"].GetInt() == 0;
  }
  EXPECT_EQ(ok, kCount);
}

TEST(TlsStream, UnfinishedHandshakesAreClosedAfterTheDeadline) {
  TestServer srv;
  uint16_t port = srv.server->port(true);
  auto start = std::chrono::steady_clock::now();
  // One client sends nothing at all; one finishes TLS but never sends the upgrade request.
  net::io_context ioc;
  tcp::socket mute(ioc);
  mute.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_verify_mode(ssl::verify_none);
  ssl::stream<tcp::socket> quiet(ioc, ctx);
  quiet.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  quiet.handshake(ssl::stream_base::client);
  EXPECT_TRUE(srv.server->connection_count() == 2u);

  set_recv_timeout(mute.native_handle(), 20);
  set_recv_timeout(quiet.next_layer().native_handle(), 20);
  EXPECT_EQ(drain_until_closed(mute.native_handle()), 0);
  EXPECT_EQ(drain_until_closed(quiet.next_layer().native_handle()), 0);
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 9s);
  EXPECT_LE(waited, 15s);
  EXPECT_TRUE(connections_drop_to(srv, 0));
  expect_server_still_serves(srv);
}
