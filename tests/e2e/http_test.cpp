// rtmd's HTTP endpoints on its WebSocket listeners: /healthz, /readyz and /metrics, with keep-alive,
// and the metrics counting what SDK users did, as a Prometheus scrape sees it.
#include "support/harness.hpp"
#include "support/http.hpp"
#include "support/raw_ws.hpp"

#include <cstring>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

using namespace rtm;
using namespace rtm::test;
using namespace std::chrono_literals;
namespace http = boost::beast::http;

namespace {

// The value of the sample `name{labels}` (labels exactly as rendered) in a Prometheus text page;
// -1 when it is not there.
double sample(const std::string& page, const std::string& series) {
  std::istringstream in(page);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(series + ' ', 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

// Polls `pred` until it holds or `timeout` passes.
template <class P>
bool wait_until(P pred, std::chrono::milliseconds timeout = 10s) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

std::string metrics(uint16_t port) {
  HttpConn c(port, false);
  auto res = c.get("/metrics");
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  return res.body();
}

}  // namespace

TEST(Http, HealthReadyAndMetricsOnBothListenersWithKeepAlive) {
  TestServer srv;
  for (bool tls : {false, true}) {
    HttpConn c(srv.server->port(tls), tls);
    for (int i = 0; i < 3; ++i) {  // one connection, several requests
      auto h = c.get("/healthz");
      EXPECT_EQ(h.result_int(), 200u);
      EXPECT_EQ(h.body(), "ok\n");
      EXPECT_EQ(h[http::field::server].substr(0, 5), "rtmd/");
    }
    auto r = c.get("/readyz?verbose=1");  // a query string is ignored
    EXPECT_EQ(r.result_int(), 200u);
    EXPECT_EQ(r.body(), "ready\n");
    auto head = c.get("/healthz", http::verb::head);
    EXPECT_EQ(head.result_int(), 200u);
    EXPECT_EQ(head[http::field::content_length], "3");
    auto m = c.get("/metrics");
    EXPECT_EQ(m.result_int(), 200u);
    EXPECT_NE(m.body().find("# TYPE rtmd_connections gauge"), std::string::npos);
  }
  // Connection: close is honoured.
  {
    HttpConn c(srv.server->port(false), false);
    EXPECT_EQ(c.get("/healthz", http::verb::get, true).result_int(), 200u);
    EXPECT_TRUE(c.closed_by_server());
  }
  // Any other plain request is refused as before, and the listener still upgrades WebSockets.
  {
    HttpConn c(srv.server->port(false), false);
    EXPECT_EQ(c.get("/metricsx").result_int(), 400u);
  }
  TestClient a(srv.ws_url());
  EXPECT_TRUE(a.login("alice"));
}

TEST(Http, ReadyzFailsWhileTheDataDirectoryIsGone) {
  TestServer srv;
  HttpConn c(srv.server->port(false), false);
  EXPECT_EQ(c.get("/readyz").result_int(), 200u);
  auto moved = srv.dir + ".moved";
  std::filesystem::rename(srv.dir, moved);
  auto r = c.get("/readyz");
  EXPECT_EQ(r.result_int(), 503u);
  EXPECT_NE(r.body().find("data directory"), std::string::npos) << r.body();
  EXPECT_EQ(c.get("/healthz").result_int(), 200u);  // alive all the same
  std::filesystem::rename(moved, srv.dir);
  EXPECT_EQ(c.get("/readyz").result_int(), 200u);
}

TEST(Metrics, CountWhatSdkUsersDidAndWhatTheyGotBack) {
  TestServer srv([](server::ServerConfig& c) { c.rate.join_same = {1, 60000}; });
  uint16_t port = srv.server->port(false);
  auto before = metrics(port);
  EXPECT_EQ(sample(before, "rtmd_connections{transport=\"ws\"}"), 0);

  TestClient alice(srv.ws_url()), bob(srv.ws_url());
  ASSERT_TRUE(alice.login("alice"));
  ASSERT_TRUE(bob.login("bob"));
  {  // a login rtmd refuses: an app id that is not valid
    RawWs raw(port);
    raw.send_text(R"({"op":"login","id":1,"app":"no such app!","uid":"x","sdk":"t"})");
    std::string answer;
    ASSERT_TRUE(raw.read(answer));
    EXPECT_NE(answer.find("\"code\":4"), std::string::npos) << answer;
  }
  EXPECT_EQ(alice.send("bob", Message::from_text("hi")), PeerMessageErr::OK);
  EXPECT_EQ(alice.send("carol", Message::from_text("gone")), PeerMessageErr::PEER_UNREACHABLE);
  EXPECT_EQ(alice.send("carol", Message::from_text("later"), true), PeerMessageErr::CACHED_BY_SERVER);

  ChannelRecorder ra, rb;
  auto ca = alice.client->create_channel("room", &ra);
  auto cb = bob.client->create_channel("room", &rb);
  ASSERT_EQ(ca->join(), 0);
  ASSERT_TRUE(ra.wait([&] { return ra.joined == 1; }));
  ASSERT_EQ(cb->join(), 0);
  ASSERT_TRUE(rb.wait([&] { return rb.joined == 1; }));
  int64_t mid = 0;
  ASSERT_EQ(ca->send_message(Message::from_text("to the room"), {}, &mid), 0);
  ASSERT_TRUE(rb.wait([&] { return rb.messages.size() == 1; }));
  ASSERT_TRUE(ra.wait([&] { return ra.results.count(mid) > 0; }));
  // The same channel joined again within the join_same window: TOO_OFTEN, counted by limit.
  ASSERT_EQ(ca->leave(), 0);
  ASSERT_TRUE(ra.wait([&] { return ra.leaves.size() == 1; }));
  ASSERT_EQ(ca->join(), 0);
  ASSERT_TRUE(ra.wait([&] { return !ra.join_failures.empty(); }));

  auto page = metrics(port);
  EXPECT_EQ(sample(page, "rtmd_logins_total{result=\"ok\"}"), 2) << page;
  EXPECT_EQ(sample(page, "rtmd_logins_total{result=\"invalid_app_id\"}"), 1);
  EXPECT_EQ(sample(page, "rtmd_peer_messages_total{result=\"ok\"}"), 1);
  EXPECT_EQ(sample(page, "rtmd_peer_messages_total{result=\"peer_unreachable\"}"), 1);
  EXPECT_EQ(sample(page, "rtmd_peer_messages_total{result=\"cached_by_server\"}"), 1);
  EXPECT_EQ(sample(page, "rtmd_channel_messages_total{result=\"ok\"}"), 1);
  EXPECT_EQ(sample(page, "rtmd_deliveries_total{kind=\"peer\"}"), 1);
  EXPECT_EQ(sample(page, "rtmd_deliveries_total{kind=\"channel\"}"), 1);
  EXPECT_EQ(sample(page, "rtmd_offline_store_writes_total{result=\"ok\"}"), 1);
  EXPECT_EQ(sample(page, "rtmd_offline_store_write_seconds_count"), 1);
  EXPECT_EQ(sample(page, "rtmd_offline_store_write_seconds_bucket{le=\"+Inf\"}"), 1);
  EXPECT_EQ(sample(page, "rtmd_rate_limited_total{limit=\"join_same\"}"), 1);
  EXPECT_EQ(sample(page, "rtmd_online_users{app=\"testapp\"}"), 2);
  EXPECT_EQ(sample(page, "rtmd_channels{app=\"testapp\"}"), 1);
  EXPECT_EQ(sample(page, "rtmd_connections{transport=\"ws\"}"), 2);  // the scrape itself is not one
  EXPECT_GE(sample(page, "rtmd_connections_opened_total{transport=\"ws\"}"), 3);
  EXPECT_GT(sample(page, "rtmd_received_bytes_total{transport=\"ws\"}"), 0);
  EXPECT_GT(sample(page, "rtmd_sent_bytes_total{transport=\"ws\"}"), 0);
  EXPECT_GT(sample(page, "process_resident_memory_bytes"), 1e6);
  EXPECT_GT(sample(page, "process_open_fds"), 0);
  EXPECT_EQ(sample(page, "rtmd_build_info{version=\"" + std::string(server::project_version()) + "\"}"), 1);

  // Every family has its HELP and TYPE, and every sample line is well formed.
  std::regex line_re(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*\})? -?[0-9.e+]+$)");
  std::istringstream in(page);
  std::set<std::string> typed;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# TYPE ", 0) == 0) {
      typed.insert(line.substr(7, line.find(' ', 7) - 7));
      continue;
    }
    if (line.rfind("# HELP ", 0) == 0) continue;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, line_re)) << line;
    std::string fam = m[1];
    for (auto suffix : {"_bucket", "_sum", "_count"})
      if (!typed.count(fam) && fam.size() > std::strlen(suffix) && fam.ends_with(suffix))
        fam.resize(fam.size() - std::strlen(suffix));
    EXPECT_TRUE(typed.count(fam)) << "no TYPE line before " << line;
  }

  alice.client->logout();
  ASSERT_TRUE(alice.rec.wait([&] { return !alice.rec.logouts.empty(); }));
  ASSERT_TRUE(wait_until([&] { return sample(metrics(port), "rtmd_connections{transport=\"ws\"}") == 1; }));
}

namespace {
// Sends raw bytes on a new connection and returns the status line the server answers (empty when
// it closed without one).
std::string status_line_for(uint16_t port, const std::string& bytes) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket s(ioc);
  s.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  boost::system::error_code ec;
  boost::asio::write(s, boost::asio::buffer(bytes), ec);  // the server may answer before it has read all
  std::string got;
  char buf[4096];
  while (got.find("\r\n") == std::string::npos) {
    auto n = s.read_some(boost::asio::buffer(buf), ec);
    if (ec) break;
    got.append(buf, n);
  }
  return got.substr(0, got.find("\r\n"));
}
}  // namespace

TEST(Http, RequestsThatAreNotHttpOrTooLargeGetAStatus) {
  TestServer srv;
  uint16_t port = srv.server->port(false);
  EXPECT_EQ(status_line_for(port, "HELLO THERE\r\n\r\n"), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(status_line_for(port, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n"),
            "HTTP/1.1 431 Request Header Fields Too Large");
  std::string many = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 10000; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(status_line_for(port, many + "\r\n"), "HTTP/1.1 431 Request Header Fields Too Large");
  EXPECT_EQ(status_line_for(port, "GET /" + std::string(100 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"),
            "HTTP/1.1 431 Request Header Fields Too Large");
  EXPECT_EQ(status_line_for(port, "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(status_line_for(port, "POST /dev/v2/project/a/rtm/users/u/peer_messages HTTP/1.1\r\nHost: x\r\n"
                                  "Content-Length: 1000000\r\n\r\n"),
            "HTTP/1.1 413 Payload Too Large");
  TestClient a(srv.ws_url());  // and the listener serves as before
  EXPECT_TRUE(a.login("alice"));
}
