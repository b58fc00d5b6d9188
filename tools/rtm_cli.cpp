// rtm: a small command-line client for rtmd, over the same client engine every binding uses.
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <functional>
#include <vector>
#include <iostream>
#include <mutex>
#include <string>

#include "core/client/client.hpp"

namespace {

const char* kUsage = R"(usage: rtm [options] demo
       rtm [options] --user UID send PEER TEXT
       rtm [options] --user UID listen [--count N]

options:
  --url URL        ws://host:port or wss://host:port (default ws://127.0.0.1:9600)
  --app ID         app id (default "demo")
  --token TOKEN    RTM token (006 or 007), when the app has a certificate
  --offline        send: let rtmd keep the message if the peer is offline
  --ca FILE        wss: trust this PEM certificate
  --insecure       wss: accept any certificate (development only)
)";

// Prints every event and lets main() wait for conditions.
struct Printer : rtm::EventHandler {
  std::string who;
  std::mutex mu;
  std::condition_variable cv;
  bool logged_in = false, failed = false, have_result = false;
  rtm::PeerMessageErr result{};
  int received = 0;

  explicit Printer(std::string w) : who(std::move(w)) {}
  void note(const std::function<void()>& f) {
    { std::lock_guard l(mu); f(); }
    cv.notify_all();
  }
  void on_connection_state_changed(rtm::ConnectionState s, rtm::ConnectionChangeReason r) override {
    std::printf("[%s] state %s (%s)\n", who.c_str(), std::string(rtm::name(s)).c_str(), std::string(rtm::name(r)).c_str());
    std::fflush(stdout);
  }
  void on_login_success() override { note([&] { logged_in = true; }); }
  void on_login_failure(rtm::LoginErr e) override {
    std::printf("[%s] login failed: %s (%d)\n", who.c_str(), std::string(rtm::name(e)).c_str(), static_cast<int>(e));
    note([&] { failed = true; });
  }
  void on_send_message_result(int64_t id, rtm::PeerMessageErr e) override {
    std::printf("[%s] message %lld: %s (%d)\n", who.c_str(), static_cast<long long>(id),
                std::string(rtm::name(e)).c_str(), static_cast<int>(e));
    std::fflush(stdout);
    note([&] { have_result = true; result = e; });
  }
  void on_message_received_from_peer(const std::string& peer, const rtm::Message& m) override {
    std::printf("[%s] from %s%s: %s\n", who.c_str(), peer.c_str(), m.is_offline ? " (offline)" : "",
                m.type == rtm::MessageType::RAW ? ("<" + std::to_string(m.raw.size()) + " raw bytes>").c_str()
                                                : m.text.c_str());
    std::fflush(stdout);
    note([&] { ++received; });
  }
  template <class P>
  bool wait(P p, int seconds = 15) {
    std::unique_lock l(mu);
    return cv.wait_for(l, std::chrono::seconds(seconds), p);
  }
};

bool login(rtm::Client& c, Printer& p, const std::string& token, const std::string& uid) {
  if (int rc = c.login(token, uid)) {
    std::fprintf(stderr, "rtm: login refused: %d\n", rc);
    return false;
  }
  return p.wait([&] { return p.logged_in || p.failed; }) && p.logged_in;
}

}  // namespace

int main(int argc, char** argv) {
  rtm::ClientConfig cfg;
  cfg.app_id = "demo";
  std::string token, user, cmd;
  std::vector<std::string> args;
  bool offline = false;
  long count = -1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) { std::fprintf(stderr, "rtm: %s needs a value\n", a.c_str()); std::exit(2); }
      return argv[++i];
    };
    if (a == "--url") cfg.url = next();
    else if (a == "--app") cfg.app_id = next();
    else if (a == "--token") token = next();
    else if (a == "--user") user = next();
    else if (a == "--offline") offline = true;
    else if (a == "--ca") cfg.ca_file = next();
    else if (a == "--insecure") cfg.tls_insecure_skip_verify = true;
    else if (a == "--count") count = std::stol(next());
    else if (a == "--help" || a == "-h") { std::fputs(kUsage, stdout); return 0; }
    else if (cmd.empty()) cmd = a;
    else args.push_back(a);
  }

  if (cmd == "demo") {
    // Two users in one process: bob listens, alice sends him a message and waits for his SDK's ack.
    Printer pa("alice"), pb("bob");
    rtm::Client alice(cfg, &pa), bob(cfg, &pb);
    if (!login(bob, pb, token, "bob") || !login(alice, pa, token, "alice")) return 1;
    int64_t id = 0;
    alice.send_message_to_peer("bob", rtm::Message::from_text("hello from alice"), {}, &id);
    if (!pa.wait([&] { return pa.have_result; }) || pa.result != rtm::PeerMessageErr::OK) return 1;
    if (!pb.wait([&] { return pb.received > 0; })) return 1;
    alice.logout();
    bob.logout();
    std::printf("demo ok: login and an acknowledged peer message through %s\n", cfg.url.c_str());
    return 0;
  }
  if (user.empty() || (cmd != "send" && cmd != "listen") || (cmd == "send" && args.size() != 2)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  Printer p(user);
  rtm::Client client(cfg, &p);
  if (!login(client, p, token, user)) return 1;
  if (cmd == "send") {
    rtm::SendMessageOptions o;
    o.enable_offline_messaging = offline;
    int rc = client.send_message_to_peer(args[0], rtm::Message::from_text(args[1]), o);
    if (rc) {
      std::fprintf(stderr, "rtm: send refused: %s (%d)\n", std::string(rtm::name(static_cast<rtm::PeerMessageErr>(rc))).c_str(), rc);
      return 1;
    }
    p.wait([&] { return p.have_result; }, 30);
    client.logout();
    return p.have_result && (p.result == rtm::PeerMessageErr::OK || p.result == rtm::PeerMessageErr::CACHED_BY_SERVER) ? 0 : 1;
  }
  // listen
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  if (count > 0) {
    p.wait([&] { return p.received >= count; }, 24 * 3600);
  } else {
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    int sig;
    sigwait(&set, &sig);
  }
  client.logout();
  return 0;
}
