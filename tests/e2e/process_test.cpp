// rtmd as a separate process: durability across SIGKILL, and a clean exit on SIGTERM.
#include "support/harness.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <thread>

using namespace rtm;
using namespace rtm::test;
using namespace std::chrono_literals;

namespace {

struct Rtmd {
  pid_t pid = -1;
  uint16_t port = 0;

  Rtmd(const std::string& dir, uint16_t p) : port(p) {
    pid = ::fork();
    if (pid == 0) {
      std::string listen = "127.0.0.1:" + std::to_string(p);
      std::string log = dir + "/rtmd.log";
      freopen(log.c_str(), "a", stderr);
      freopen("/dev/null", "w", stdout);
      execl(RTMD_PATH, "rtmd", "--listen", listen.c_str(), "--data-dir", dir.c_str(), "--threads", "2",
            static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  int signal_and_wait(int sig) {
    ::kill(pid, sig);
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
    return status;
  }
  ~Rtmd() {
    if (pid > 0) signal_and_wait(SIGKILL);
  }
};

// A free port: bind to 0, read it, release it.
uint16_t free_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

bool login_with_retry(TestClient& c, const std::string& uid) {
  return c.client->login("", uid) == 0 && c.rec.wait_state(ConnectionState::CONNECTED, 15s);
}

}  // namespace

TEST(Process, CachedMessagesSurviveSigkill) {
  auto dir = temp_dir("crash");
  uint16_t port = free_port();
  std::string url = "ws://127.0.0.1:" + std::to_string(port);
  int64_t ts = 0;
  {
    Rtmd rtmd(dir, port);
    ClientConfig cc;
    cc.login_timeout_ms = 15000;
    cc.reconnect_min_ms = 50;
    TestClient a(url, "testapp", cc);
    ASSERT_TRUE(login_with_retry(a, "alice"));
    EXPECT_EQ(a.send("bob", Message::from_text("durable 1"), true), PeerMessageErr::CACHED_BY_SERVER);
    EXPECT_EQ(a.send("bob", Message::from_raw(std::string("\0\1\2", 3), "durable 2"), true),
              PeerMessageErr::CACHED_BY_SERVER);
    ts = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    // No grace: killed right after the sender was told CACHED_BY_SERVER.
    int status = rtmd.signal_and_wait(SIGKILL);
    EXPECT_TRUE(WIFSIGNALED(status));
  }
  Rtmd again(dir, port);
  ClientConfig cc;
  cc.login_timeout_ms = 15000;
  cc.reconnect_min_ms = 50;
  TestClient b(url, "testapp", cc);
  ASSERT_TRUE(login_with_retry(b, "bob"));
  ASSERT_TRUE(b.rec.wait_messages(2));
  b.rec.locked([&] {
    EXPECT_EQ(b.rec.messages[0].msg.text, "durable 1");
    EXPECT_TRUE(b.rec.messages[0].msg.is_offline);
    EXPECT_LE(b.rec.messages[0].msg.server_received_ts, ts);
    EXPECT_EQ(b.rec.messages[1].msg.raw, std::string("\0\1\2", 3));
    EXPECT_EQ(b.rec.messages[1].from, "alice");
  });
}

TEST(Process, SigtermClosesSessionsAndExitsZero) {
  auto dir = temp_dir("term");
  uint16_t port = free_port();
  Rtmd rtmd(dir, port);
  ClientConfig cc;
  cc.login_timeout_ms = 15000;
  cc.reconnect_min_ms = 5000;
  TestClient a("ws://127.0.0.1:" + std::to_string(port), "testapp", cc);
  ASSERT_TRUE(login_with_retry(a, "alice"));
  int status = rtmd.signal_and_wait(SIGTERM);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_TRUE(a.rec.wait_state(ConnectionState::RECONNECTING));
  std::ifstream log(dir + "/rtmd.log");
  std::string text((std::istreambuf_iterator<char>(log)), {});
  EXPECT_NE(text.find("stopped"), std::string::npos);
}
