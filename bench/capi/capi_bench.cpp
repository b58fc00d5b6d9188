// rtm-capi-bench: the cost of the C API over the C++ engine, measured in one process against one
// embedded rtmd, with the same workload through rtm::Client directly and through librtmkit.
//
//  1. dispatch: N peer messages are queued at a poll-mode receiver (the receiver's engine has acked
//     them all); then the time to run all N callbacks is measured: messages per second into a C
//     callback vs into a C++ EventHandler, and the nanoseconds the C layer adds per callback.
//  2. live: a sender streams messages (window of W unanswered) to a thread-mode receiver; messages per
//     second delivered into the callback, end to end through the server.
//  3. latency: one message at a time at a low rate, alternating between a C++ and a C receiver (both
//     thread mode); one-way send-to-callback latency p50/p99 of each and the difference at p50.
//
// usage: rtm-capi-bench [--quick]
#include <atomic>
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <stdlib.h>
#include <unistd.h>

#include "bench/capi/bench_cb.h"
#include "core/client/client.hpp"

namespace {

struct Options {
  std::size_t dispatch_n = 50000;  // per receiver and round
  int rounds = 3;
  std::size_t live_n = 20000;   // per round
  std::size_t latency_n = 4000;  // alternating, so half per receiver
  std::size_t window = 1000;
};

void die(const char* what) {
  std::fprintf(stderr, "rtm-capi-bench: %s (%s)\n", what, rtm_last_error());
  std::exit(1);
}

int64_t count(const bench_sink& s) { return __atomic_load_n(&s.count, __ATOMIC_ACQUIRE); }

// The C++ receiver: the same work as the C callback.
class CppSink : public rtm::EventHandler {
 public:
  explicit CppSink(bench_sink* s) : sink_(s) {}
  void on_message_received_from_peer(const std::string&, const rtm::Message& m) override {
    bench_sink_record(sink_, m.text.c_str());
  }

 private:
  bench_sink* sink_;
};

// The sender: a C++ client in thread mode that keeps at most `window` messages unanswered.
class Sender : public rtm::EventHandler {
 public:
  void on_connection_state_changed(rtm::ConnectionState s, rtm::ConnectionChangeReason) override {
    std::lock_guard l(mu_);
    state_ = s;
    cv_.notify_all();
  }
  void on_send_message_result(int64_t, rtm::PeerMessageErr e) override {
    std::lock_guard l(mu_);
    ++results_;
    if (e != rtm::PeerMessageErr::OK) ++errors_;
    cv_.notify_all();
  }
  bool wait_connected() {
    std::unique_lock l(mu_);
    return cv_.wait_for(l, std::chrono::seconds(10), [&] { return state_ == rtm::ConnectionState::CONNECTED; });
  }
  // Sends texts "first".."first+n-1" to `peer`, `window` unanswered at most; optional pause between sends.
  void send(rtm::Client& c, const std::string& peer, std::size_t first, std::size_t n, std::size_t window,
            std::vector<int64_t>* sent_ns = nullptr, std::chrono::microseconds gap = {},
            const std::string* peer2 = nullptr) {
    rtm::SendMessageOptions o;
    std::size_t base;
    {
      std::lock_guard l(mu_);
      base = results_;
    }
    for (std::size_t i = 0; i < n; ++i) {
      {
        std::unique_lock l(mu_);
        cv_.wait(l, [&] { return (base + i) - results_ < window; });
      }
      std::size_t seq = first + i;
      auto m = rtm::Message::from_text(std::to_string(seq));
      if (sent_ns) (*sent_ns)[seq] = bench_now_ns();
      const std::string& to = (peer2 && (i % 2)) ? *peer2 : peer;
      while (c.send_message_to_peer(to, m, o) == static_cast<int>(rtm::PeerMessageErr::TOO_OFTEN))
        std::this_thread::sleep_for(std::chrono::microseconds(100));
      if (gap.count()) std::this_thread::sleep_for(gap);
    }
    std::unique_lock l(mu_);
    cv_.wait(l, [&] { return results_ - base >= n; });
  }
  std::size_t errors() {
    std::lock_guard l(mu_);
    return errors_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  rtm::ConnectionState state_ = rtm::ConnectionState::DISCONNECTED;
  std::size_t results_ = 0, errors_ = 0;
};

rtm::ClientConfig cpp_config(const std::string& url, bool poll) {
  rtm::ClientConfig cfg;
  cfg.app_id = "bench";
  cfg.url = url;
  cfg.dispatch = poll ? rtm::DispatchMode::poll : rtm::DispatchMode::thread;
  cfg.max_pending_events = 1u << 21;
  cfg.max_outbound_bytes = 64u << 20;
  return cfg;
}

// A C API client with the C callback on `sink`.
rtm_client_t* c_client(const std::string& url, bool poll, bench_sink* sink) {
  rtm_conf_t* conf = nullptr;
  char err[256];
  if (rtm_conf_new(&conf) != RTM_OK) die("rtm_conf_new");
  const char* kv[][2] = {{"app_id", "bench"}, {"url", url.c_str()}, {"callback.dispatch", poll ? "poll" : "thread"},
                         {"max_pending_events", "2097152"}, {"max_outbound_bytes", "67108864"}};
  for (auto& p : kv)
    if (rtm_conf_set(conf, p[0], p[1], err, sizeof err) != RTM_OK) die(err);
  rtm_conf_set_message_received_from_peer_cb(conf, bench_on_message);
  rtm_conf_set_user_data(conf, sink, nullptr);
  rtm_client_t* c = nullptr;
  if (rtm_client_new(&c, conf) != RTM_OK) die("rtm_client_new");
  return c;
}

void wait_state(const std::function<int()>& state) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (state() != RTM_CONNECTION_STATE_CONNECTED) {
    if (std::chrono::steady_clock::now() > deadline) die("login timed out");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

double pct(std::vector<int64_t> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return static_cast<double>(v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))]);
}

struct SinkStore {
  std::vector<int64_t> recv;
  bench_sink sink{};
  explicit SinkStore(std::size_t n) : recv(n, 0) {
    sink.recv_ns = recv.data();
    sink.cap = n;
  }
};

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  if (argc > 1 && !std::strcmp(argv[1], "--quick")) {
    opt.dispatch_n = 10000;
    opt.rounds = 1;
    opt.live_n = 5000;
    opt.latency_n = 1000;
  }
  if (rtm_check_compat() != RTM_OK) die("rtm_check_compat");
  rtm_set_log_level("error");

  // One embedded rtmd for everything (through the C API), rate limits off.
  char dir[] = "/tmp/rtm-capi-bench-XXXXXX";
  if (!mkdtemp(dir)) die("mkdtemp");
  rtm_server_conf_t* sconf = nullptr;
  char err[256];
  rtm_server_conf_new(&sconf);
  const char* skv[][2] = {{"listen", "127.0.0.1:0"}, {"data_dir", dir}, {"rate_limits", "off"},
                          {"store_sync", "false"}, {"max_pending_requests", "1048576"},
                          {"outbound_queue_bytes", "268435456"}, {"log_level", "error"}};
  for (auto& p : skv)
    if (rtm_server_conf_set(sconf, p[0], p[1], err, sizeof err) != RTM_OK) die(err);
  rtm_server_t* server = nullptr;
  if (rtm_server_new(&server, sconf) != RTM_OK || rtm_server_start(server) != RTM_OK) die("server");
  std::string url = "ws://127.0.0.1:" + std::to_string(rtm_server_port(server, 0));

  Sender sh;
  rtm::Client sender(cpp_config(url, false), &sh);
  if (sender.login("", "tx") != 0 || !sh.wait_connected()) die("sender login");
  std::printf("rtm-capi-bench: librtmkit %s, %u CPUs, server %s\n\n", rtm_version_str(),
              std::thread::hardware_concurrency(), url.c_str());

  // ---- 1. dispatch throughput ------------------------------------------------------------------------
  // Each round fills a C++ and a C poll-mode receiver with N messages each (interleaved), then runs
  // the two queues one after the other (the order alternates between rounds). Round 0 warms up.
  std::vector<double> ns_cpp_r, ns_c_r;
  for (int round = 0; round <= opt.rounds; ++round) {
    std::size_t n = opt.dispatch_n;
    SinkStore st_cpp(2 * n), st_c(2 * n);
    CppSink h(&st_cpp.sink);
    rtm::Client rx_cpp(cpp_config(url, true), &h);
    rtm_client_t* rx_c = c_client(url, true, &st_c.sink);
    std::string id_cpp = "rx_cpp_d" + std::to_string(round), id_c = "rx_c_d" + std::to_string(round);
    rx_cpp.login("", id_cpp);
    rtm_client_login(rx_c, nullptr, id_c.c_str());
    wait_state([&] { rx_cpp.poll(0); return static_cast<int>(rx_cpp.state()); });
    wait_state([&] { rtm_client_poll(rx_c, 0); return static_cast<int>(rtm_client_state(rx_c)); });
    sh.send(sender, id_cpp, 0, 2 * n, opt.window, nullptr, {}, &id_c);  // n to each receiver
    auto drain_cpp = [&] {
      int64_t t0 = bench_now_ns();
      while (count(st_cpp.sink) < static_cast<int64_t>(n)) rx_cpp.poll(0);
      return static_cast<double>(bench_now_ns() - t0) / static_cast<double>(n);
    };
    auto drain_c = [&] {
      int64_t t0 = bench_now_ns();
      while (count(st_c.sink) < static_cast<int64_t>(n)) rtm_client_poll(rx_c, 0);
      return static_cast<double>(bench_now_ns() - t0) / static_cast<double>(n);
    };
    double a, b;
    if (round % 2) {
      b = drain_c();
      a = drain_cpp();
    } else {
      a = drain_cpp();
      b = drain_c();
    }
    if (round > 0) {
      ns_cpp_r.push_back(a);
      ns_c_r.push_back(b);
    }
    rtm_client_destroy(rx_c);
  }
  std::sort(ns_cpp_r.begin(), ns_cpp_r.end());
  std::sort(ns_c_r.begin(), ns_c_r.end());
  double best_cpp = ns_cpp_r.front(), best_c = ns_c_r.front();
  double med_cpp = ns_cpp_r[ns_cpp_r.size() / 2], med_c = ns_c_r[ns_c_r.size() / 2];
  std::printf("1. dispatch: %zu queued peer messages run through the callback (poll mode), best and median of %d rounds\n",
              opt.dispatch_n, opt.rounds);
  std::printf("   C++ EventHandler : %10.0f msg/s  (%6.0f ns per callback; median %6.0f ns)\n", 1e9 / best_cpp,
              best_cpp, med_cpp);
  std::printf("   C callback       : %10.0f msg/s  (%6.0f ns per callback; median %6.0f ns)\n", 1e9 / best_c, best_c,
              med_c);
  std::printf("   ratio C/C++      : %10.3f        C layer adds %+.0f ns per callback (median %+.0f ns)\n\n",
              best_cpp / best_c, best_c - best_cpp, med_c - med_cpp);

  // ---- 2. live throughput ------------------------------------------------------------------------------
  // Rounds alternate which receiver goes first, so that a change of load on the machine does not
  // favour one; the best round of each is reported.
  double live_cpp = 0, live_c = 0;
  for (int round = 0; round < opt.rounds; ++round) {
    std::size_t n = opt.live_n;
    auto run_cpp = [&] {
      SinkStore st(n);
      CppSink h(&st.sink);
      rtm::Client rx(cpp_config(url, false), &h);
      std::string id = "rx_cpp_l" + std::to_string(round);
      rx.login("", id);
      wait_state([&] { return static_cast<int>(rx.state()); });
      int64_t t0 = bench_now_ns();
      sh.send(sender, id, 0, n, opt.window);
      while (count(st.sink) < static_cast<int64_t>(n)) std::this_thread::sleep_for(std::chrono::microseconds(50));
      live_cpp = std::max(live_cpp, static_cast<double>(n) / (static_cast<double>(bench_now_ns() - t0) / 1e9));
    };
    auto run_c = [&] {
      SinkStore st(n);
      rtm_client_t* rx = c_client(url, false, &st.sink);
      std::string id = "rx_c_l" + std::to_string(round);
      rtm_client_login(rx, nullptr, id.c_str());
      wait_state([&] { return static_cast<int>(rtm_client_state(rx)); });
      int64_t t0 = bench_now_ns();
      sh.send(sender, id, 0, n, opt.window);
      while (count(st.sink) < static_cast<int64_t>(n)) std::this_thread::sleep_for(std::chrono::microseconds(50));
      live_c = std::max(live_c, static_cast<double>(n) / (static_cast<double>(bench_now_ns() - t0) / 1e9));
      rtm_client_destroy(rx);
    };
    if (round % 2) {
      run_c();
      run_cpp();
    } else {
      run_cpp();
      run_c();
    }
  }
  std::printf("2. live: %zu peer messages sender -> rtmd -> receiver (thread mode, window %zu), best of %d rounds\n",
              opt.live_n, opt.window, opt.rounds);
  std::printf("   C++ EventHandler : %10.0f msg/s\n", live_cpp);
  std::printf("   C callback       : %10.0f msg/s\n", live_c);
  std::printf("   ratio C/C++      : %10.3f\n\n", live_c / live_cpp);

  // ---- 3. latency --------------------------------------------------------------------------------------
  {
    std::size_t n = opt.latency_n;
    std::vector<int64_t> sent(n, 0);
    SinkStore st_cpp(n), st_c(n);
    CppSink h(&st_cpp.sink);
    rtm::Client rx_cpp(cpp_config(url, false), &h);
    rtm_client_t* rx_c = c_client(url, false, &st_c.sink);
    rx_cpp.login("", "rx_cpp_t");
    rtm_client_login(rx_c, nullptr, "rx_c_t");
    wait_state([&] { return static_cast<int>(rx_cpp.state()); });
    wait_state([&] { return static_cast<int>(rtm_client_state(rx_c)); });
    std::string to_cpp = "rx_cpp_t", to_c = "rx_c_t";
    // even sequence numbers go to the C++ receiver, odd ones to the C receiver; one unanswered at a time
    sh.send(sender, to_cpp, 0, n, 1, &sent, std::chrono::microseconds(200), &to_c);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while ((count(st_cpp.sink) + count(st_c.sink)) < static_cast<int64_t>(n) &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::vector<int64_t> lat_cpp, lat_c;
    for (std::size_t i = n / 10; i < n; ++i) {  // the first tenth warms up
      int64_t r = (i % 2) ? st_c.recv[i] : st_cpp.recv[i];
      if (r) ((i % 2) ? lat_c : lat_cpp).push_back(r - sent[i]);
    }
    double p50_cpp = pct(lat_cpp, 0.5) / 1000, p50_c = pct(lat_c, 0.5) / 1000;
    double p99_cpp = pct(lat_cpp, 0.99) / 1000, p99_c = pct(lat_c, 0.99) / 1000;
    std::printf("3. latency: one message at a time, send -> callback, alternating receivers (%zu samples each)\n",
                lat_cpp.size());
    std::printf("   C++ EventHandler : p50 %7.1f us   p99 %7.1f us\n", p50_cpp, p99_cpp);
    std::printf("   C callback       : p50 %7.1f us   p99 %7.1f us\n", p50_c, p99_c);
    std::printf("   C layer adds     : p50 %+7.1f us   (ratio %.3f)\n\n", p50_c - p50_cpp, p50_c / p50_cpp);
    rtm_client_destroy(rx_c);
  }
  if (sh.errors()) std::printf("note: %zu sends did not report OK\n", sh.errors());
  sender.logout();
  rtm_server_destroy(server);
  std::string rm = std::string("rm -rf ") + dir;
  if (std::system(rm.c_str()) != 0) std::fprintf(stderr, "could not remove %s\n", dir);
  return 0;
}
