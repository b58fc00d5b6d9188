// Scenario `latency`: acknowledged peer messages at a fixed offered rate (open loop), compared with a
// raw TCP relay doing the same four hops, plus a closed-loop throughput phase.
//
// Open loop: send k is scheduled at t0 + k / rate whatever happened to the sends before it, and its
// latency runs from that scheduled time to its completion. A stall therefore shows in the latency
// of every message scheduled during it (no coordinated omission).
//
// Every pair exchanges messages in both directions: the schedule goes round the 2 x pairs senders
// (a_0 -> b_0, b_0 -> a_0, a_1 -> b_1, ...), so each user sends rate / (2 x pairs) messages a second.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "bench/scenarios.hpp"
#include "core/client/client.hpp"
#include "core/protocol/codec.hpp"
#include "core/protocol/errors.hpp"

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace bench {
namespace {

constexpr const char* kApp = "bench";

// What one phase runs.
struct Load {
  int pairs = 1;
  double rate = 1000;
  double warmup_s = 2;
  double duration_s = 10;
  std::size_t size = 64;
  bool closed = false;  // closed loop: `window` outstanding per sender, refilled on completion
  int window = 16;
  pid_t server_pid = -1;
  int senders() const { return 2 * pairs; }
};

// Closed loop: after an error (e.g. TOO_OFTEN from a rate limit) a sender pauses this long.
constexpr int64_t kErrorBackoffNs = 10'000'000;

// The phase's time line, in monotonic nanoseconds.
struct Timeline {
  int64_t t_start = 0;       // first send
  int64_t t_meas_start = 0;  // measured interval
  int64_t t_meas_end = 0;
  uint64_t total = 0;        // open loop: sends scheduled in all
  uint64_t warm = 0;         // open loop: index of the first measured send
  double period_ns = 0;

  static Timeline make(const Load& l) {
    Timeline t;
    t.t_start = now_ns() + 100'000'000;
    t.t_meas_start = t.t_start + static_cast<int64_t>(l.warmup_s * 1e9);
    t.t_meas_end = t.t_meas_start + static_cast<int64_t>(l.duration_s * 1e9);
    t.period_ns = 1e9 / l.rate;
    t.warm = static_cast<uint64_t>(l.warmup_s * l.rate);
    t.total = t.warm + static_cast<uint64_t>(l.duration_s * l.rate);
    return t;
  }
  int64_t sched(uint64_t j) const { return t_start + static_cast<int64_t>(static_cast<double>(j) * period_ns); }
  bool in_window(int64_t t) const { return t >= t_meas_start && t < t_meas_end; }
};

// Samples the server's and our own CPU time at the edges of the measured interval.
class CpuSampler {
 public:
  CpuSampler(pid_t server, const Timeline& tl)
      : th_([this, server, a = tl.t_meas_start, b = tl.t_meas_end] {
          sleep_until_ns(a);
          s0_ = server > 0 ? process_cpu_seconds(server) : -1;
          c0_ = process_cpu_seconds(::getpid());
          m0_ = machine_cpu();
          sleep_until_ns(b);
          s1_ = server > 0 ? process_cpu_seconds(server) : -1;
          c1_ = process_cpu_seconds(::getpid());
          m1_ = machine_cpu();
        }) {}
  ~CpuSampler() {
    if (th_.joinable()) th_.join();
  }
  CpuSampler(const CpuSampler&) = delete;
  CpuSampler& operator=(const CpuSampler&) = delete;
  void fill(Result& r) {
    if (th_.joinable()) th_.join();
    r.server_cpu_s = (s0_ >= 0 && s1_ >= 0) ? s1_ - s0_ : -1;
    r.client_cpu_s = c1_ - c0_;
    r.other_cpu_s = std::max(0.0, (m1_.busy - m0_.busy) - r.client_cpu_s - std::max(0.0, r.server_cpu_s));
    r.steal_s = m1_.steal - m0_.steal;
  }

 private:
  double s0_ = -1, s1_ = -1, c0_ = 0, c1_ = 0;
  MachineCpu m0_, m1_;
  std::thread th_;
};

// Outcome counters of one sender; merged into a Result at the end.
struct Tally {
  Histogram hist;
  uint64_t ok = 0, sent = 0, failed = 0;
  std::map<std::string, uint64_t> errors;

  void completion(int64_t latency, std::string_view err) {
    if (err.empty()) {
      hist.record(latency);
      ++ok;
    } else {
      ++errors[std::string(err)];
      ++failed;
    }
  }
  void into(Result& r) const {
    r.hist.merge(hist);
    r.ok += ok;
    r.sent += sent;
    for (auto& [k, v] : errors) r.errors[k] += v;
  }
};

std::string peer_err_name(int code) {
  return std::string(rtm::name(static_cast<rtm::PeerMessageErr>(code)));
}

// ---- single-threaded Asio load generators (raw TCP baselines, bare WebSocket) --------------------

class AsioLoad {
 public:
  explicit AsioLoad(const Load& l)
      : load_(l), timer_(ioc_), deadline_(ioc_), outstanding_per_(static_cast<std::size_t>(l.senders()), 0),
        backoff_(static_cast<std::size_t>(l.senders()), 0) {}
  virtual ~AsioLoad() = default;
  AsioLoad(const AsioLoad&) = delete;
  AsioLoad& operator=(const AsioLoad&) = delete;

  Result run(const std::string& name) {
    setup();
    tl_ = Timeline::make(load_);
    CpuSampler sampler(load_.server_pid, tl_);
    timer_.expires_at(at(tl_.t_start));
    timer_.async_wait([this](beast::error_code ec) {
      if (ec) return;
      if (load_.closed) top_up_all();
      else tick();
    });
    ioc_.run();
    Result r;
    r.name = name;
    r.ran = true;
    tally_.into(r);
    r.interval_s = static_cast<double>(tl_.t_meas_end - tl_.t_meas_start) / 1e9;
    r.lost = load_.closed ? outstanding_ : r.sent - tally_.ok - tally_.failed;
    sampler.fill(r);
    return r;
  }

 protected:
  // Connects (synchronously) and starts reading.
  virtual void setup() = 0;
  // Sends one message from `sender` (0 .. 2 x pairs - 1); its completion must call complete() with
  // the same `sender`, `origin` and `measured`.
  virtual void send(int sender, int64_t origin, bool measured) = 0;

  void complete(int sender, int64_t origin, bool measured, std::string_view err) {
    int64_t now = now_ns();
    --outstanding_;
    --outstanding_per_[static_cast<std::size_t>(sender)];
    if (load_.closed) {
      if (tl_.in_window(now)) tally_.completion(now - origin, err);
      if (!err.empty()) backoff_[static_cast<std::size_t>(sender)] = now + kErrorBackoffNs;
      else if (!sending_done_) issue(sender, now, false);
    } else if (measured) {
      tally_.completion(now - origin, err);
    }
    if (sending_done_ && outstanding_ == 0) ioc_.stop();
  }

  static Clock::time_point at(int64_t ns) { return Clock::time_point(std::chrono::nanoseconds(ns)); }

  net::io_context ioc_{1};  // first member: destroyed after the derived class's sockets
  Load load_;
  std::string payload_ = std::string(load_.size, 'x');

 private:
  void issue(int sender, int64_t origin, bool measured) {
    ++outstanding_;
    ++outstanding_per_[static_cast<std::size_t>(sender)];
    if (measured || (load_.closed && tl_.in_window(origin))) ++tally_.sent;
    send(sender, origin, measured);
  }

  // Open loop: every send whose time has come.
  void tick() {
    int64_t now = now_ns();
    while (next_ < tl_.total && tl_.sched(next_) <= now) {
      issue(static_cast<int>(next_ % static_cast<uint64_t>(load_.senders())), tl_.sched(next_), next_ >= tl_.warm);
      ++next_;
    }
    if (next_ < tl_.total) {
      timer_.expires_at(at(tl_.sched(next_)));
      timer_.async_wait([this](beast::error_code ec) {
        if (!ec) tick();
      });
    } else {
      end_sending();
    }
  }

  // Closed loop: fill every sender's window (completions refill it at once; this catches senders
  // that paused after an error), every 5 ms until the end of the measured interval.
  void top_up_all() {
    int64_t now = now_ns();
    if (now >= tl_.t_meas_end) return end_sending();
    for (int k = 0; k < load_.senders(); ++k) {
      auto i = static_cast<std::size_t>(k);
      if (backoff_[i] > now) continue;
      while (outstanding_per_[i] < static_cast<uint64_t>(load_.window)) issue(k, now, false);
    }
    timer_.expires_after(std::chrono::milliseconds(5));
    timer_.async_wait([this](beast::error_code ec) {
      if (!ec) top_up_all();
    });
  }

  void end_sending() {
    sending_done_ = true;
    if (outstanding_ == 0) return ioc_.stop();
    deadline_.expires_after(std::chrono::seconds(12));
    deadline_.async_wait([this](beast::error_code ec) {
      if (!ec) ioc_.stop();
    });
  }

  net::steady_timer timer_;
  net::steady_timer deadline_;
  Timeline tl_;
  Tally tally_;
  uint64_t next_ = 0;
  uint64_t outstanding_ = 0;
  std::vector<uint64_t> outstanding_per_;
  std::vector<int64_t> backoff_;
  bool sending_done_ = false;
};

// Frames of the raw TCP baselines: a 16-byte head, then padding up to `len` bytes.
struct FrameHead {
  int64_t origin;
  uint32_t flags;  // kMeasured, kSecondLeg (echo), kReply (relay)
  uint32_t len;
};
constexpr uint32_t kMeasured = 1, kSecondLeg = 2, kReply = 4;
constexpr std::size_t kReplyBytes = 32;

class TcpLoad final : public AsioLoad {
 public:
  // echo2 = false: pairs of connections A, B through the relay. A message from A is a frame of
  // `size` bytes relayed to B, and B's 32-byte reply relayed back to A (and the same from B to A).
  // echo2 = true: one connection per sender to the echo port; a message is two round trips.
  TcpLoad(const Load& l, bool echo2, uint16_t port)
      : AsioLoad(l), echo2_(echo2), port_(port), frame_bytes_(std::max(l.size, sizeof(FrameHead))) {}

 private:
  struct Conn {
    explicit Conn(net::io_context& ioc) : sock(ioc) {}
    tcp::socket sock;
    int sender = 0;
    std::array<char, 65536> rbuf{};
    std::string acc;
    std::string pending, inflight;
    bool busy = false;
  };

  void setup() override {
    tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port_);
    // The relay pairs connections in accept order: A then B, each connected before the next.
    for (int k = 0; k < load_.senders(); ++k) {
      auto c = std::make_unique<Conn>(ioc_);
      c->sock.connect(ep);
      c->sock.set_option(tcp::no_delay(true));
      c->sender = k;
      conns_.push_back(std::move(c));
    }
    usleep(50000);  // let the relay accept and pair them
    for (auto& c : conns_) read(*c);
  }

  std::string frame(int64_t origin, uint32_t flags, std::size_t len) {
    std::string f(len, 'x');
    FrameHead h{origin, flags, static_cast<uint32_t>(len)};
    std::memcpy(f.data(), &h, sizeof h);
    return f;
  }

  void send(int sender, int64_t origin, bool measured) override {
    write(*conns_[static_cast<std::size_t>(sender)], frame(origin, measured ? kMeasured : 0, frame_bytes_));
  }

  void write(Conn& c, const std::string& data) {
    c.pending += data;
    if (!c.busy) flush(c);
  }

  void flush(Conn& c) {
    c.busy = true;
    std::swap(c.inflight, c.pending);
    c.pending.clear();
    net::async_write(c.sock, net::buffer(c.inflight), [this, &c](beast::error_code ec, std::size_t) {
      c.busy = false;
      if (ec) return;
      if (!c.pending.empty()) flush(c);
    });
  }

  void read(Conn& c) {
    c.sock.async_read_some(net::buffer(c.rbuf), [this, &c](beast::error_code ec, std::size_t n) {
      if (ec) return;
      c.acc.append(c.rbuf.data(), n);
      std::size_t off = 0;
      while (c.acc.size() - off >= sizeof(FrameHead)) {
        FrameHead h;
        std::memcpy(&h, c.acc.data() + off, sizeof h);
        if (c.acc.size() - off < h.len) break;
        on_frame(c, h);
        off += h.len;
      }
      c.acc.erase(0, off);
      read(c);
    });
  }

  void on_frame(Conn& c, const FrameHead& h) {
    if (echo2_) {
      if (h.flags & kSecondLeg) complete(c.sender, h.origin, h.flags & kMeasured, {});
      else write(c, frame(h.origin, h.flags | kSecondLeg, h.len));
    } else if (h.flags & kReply) {
      complete(c.sender, h.origin, h.flags & kMeasured, {});
    } else {
      write(c, frame(h.origin, h.flags | kReply, kReplyBytes));  // the receiver's reply
    }
  }

  bool echo2_;
  uint16_t port_;
  std::size_t frame_bytes_;
  std::vector<std::unique_ptr<Conn>> conns_;  // index = sender
};

// rtm.v1 with a bare Beast WebSocket client per user and no client engine: the server's share of
// the latency without the rtm::Client threads and queues.
class WsLoad final : public AsioLoad {
 public:
  WsLoad(const Load& l, uint16_t port, std::string prefix) : AsioLoad(l), port_(port), prefix_(std::move(prefix)) {}

 private:
  struct Conn {
    explicit Conn(net::io_context& ioc) : ws(ioc) {}
    websocket::stream<tcp::socket> ws;
    beast::flat_buffer buf;
    std::deque<std::string> q;
    int sender = 0;
    std::string peer;
    uint64_t received = 0;
    int64_t next_id = 2;
    std::unordered_map<int64_t, std::pair<int64_t, bool>> pending;  // id -> origin, measured
  };

  static std::string uid(const std::string& prefix, int sender) {
    return prefix + (sender % 2 ? "b_" : "a_") + std::to_string(sender / 2);
  }

  void setup() override {
    tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port_);
    for (int k = 0; k < load_.senders(); ++k) {
      auto c = std::make_unique<Conn>(ioc_);
      c->ws.next_layer().connect(ep);
      c->ws.next_layer().set_option(tcp::no_delay(true));
      c->ws.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
        req.set(beast::http::field::sec_websocket_protocol, rtm::proto::kSubprotocol);
      }));
      c->ws.handshake("127.0.0.1", "/");
      c->ws.text(true);
      c->ws.auto_fragment(false);
      rtm::proto::Frame login;
      login.op = rtm::proto::Op::login;
      login.id = 1;
      login.app = kApp;
      login.uid = uid(prefix_, k);
      bool bin = false;
      c->ws.write(net::buffer(rtm::proto::encode(login, bin)));
      c->ws.read(c->buf);
      rtm::proto::Frame res;
      auto d = c->buf.cdata();
      if (rtm::proto::decode(std::string_view(static_cast<const char*>(d.data()), d.size()), false, res) ||
          res.op != rtm::proto::Op::res || res.code != 0)
        throw std::runtime_error("bare WebSocket login failed for " + login.uid);
      c->buf.consume(c->buf.size());
      c->sender = k;
      c->peer = uid(prefix_, k ^ 1);
      conns_.push_back(std::move(c));
    }
    for (auto& c : conns_) read(*c);
  }

  void send(int sender, int64_t origin, bool measured) override {
    Conn& c = *conns_[static_cast<std::size_t>(sender)];
    rtm::proto::Frame f;
    f.op = rtm::proto::Op::peer;
    f.id = c.next_id++;
    f.to = c.peer;
    f.type = static_cast<int>(rtm::MessageType::TEXT);
    f.text = payload_;
    f.mid = f.id;
    c.pending.emplace(f.id, std::make_pair(origin, measured));
    bool bin = false;
    write(c, rtm::proto::encode(f, bin));
  }

  void write(Conn& c, std::string data) {
    c.q.push_back(std::move(data));
    if (c.q.size() == 1) flush(c);
  }

  void flush(Conn& c) {
    c.ws.async_write(net::buffer(c.q.front()), [this, &c](beast::error_code ec, std::size_t) {
      if (ec) return;
      c.q.pop_front();
      if (!c.q.empty()) flush(c);
    });
  }

  void read(Conn& c) {
    c.ws.async_read(c.buf, [this, &c](beast::error_code ec, std::size_t) {
      if (ec) return;
      auto d = c.buf.cdata();
      rtm::proto::Frame f;
      int err = rtm::proto::decode(std::string_view(static_cast<const char*>(d.data()), d.size()), c.ws.got_binary(), f);
      c.buf.consume(c.buf.size());
      if (!err) on_frame(c, f);
      read(c);
    });
  }

  void on_frame(Conn& c, const rtm::proto::Frame& f) {
    using rtm::proto::Op;
    if (f.op == Op::msg) {
      rtm::proto::Frame ack;
      ack.op = Op::ack;
      ack.n = ++c.received;
      bool bin = false;
      write(c, rtm::proto::encode(ack, bin));
    } else if (f.op == Op::res || f.op == Op::error) {
      auto it = c.pending.find(f.id);
      if (it == c.pending.end()) return;
      auto [origin, measured] = it->second;
      c.pending.erase(it);
      std::string err;
      if (f.op == Op::error) err = "protocol-error-" + std::to_string(f.code);
      else if (f.code != 0) err = peer_err_name(f.code);
      complete(c.sender, origin, measured, err);
    }
  }

  uint16_t port_;
  std::string prefix_;
  std::vector<std::unique_ptr<Conn>> conns_;  // index = sender
};

// ---- rtm::Client load generator -----------------------------------------------------------------

class RtmLoad {
 public:
  RtmLoad(const Load& l, uint16_t port, std::string prefix, bool tls = false)
      : load_(l), port_(port), prefix_(std::move(prefix)), tls_(tls) {}

  Result run(const std::string& name) {
    rtm::ClientConfig cc;
    cc.app_id = kApp;
    cc.url = (tls_ ? "wss://127.0.0.1:" : "ws://127.0.0.1:") + std::to_string(port_);
    cc.tls_insecure_skip_verify = tls_;  // rtmd --dev's self-signed certificate
    auto uid = [&](int k) { return prefix_ + (k % 2 ? "b_" : "a_") + std::to_string(k / 2); };
    for (int k = 0; k < load_.senders(); ++k) {
      auto s = std::make_unique<Side>(this, uid(k ^ 1));
      s->client = std::make_unique<rtm::Client>(cc, s.get());
      if (s->client->login("", uid(k))) throw std::runtime_error("login refused");
      sides_.push_back(std::move(s));
    }
    for (auto& s : sides_)
      if (!s->wait_connected()) throw std::runtime_error("rtm::Client login did not complete");

    tl_ = Timeline::make(load_);
    CpuSampler sampler(load_.server_pid, tl_);
    sleep_until_ns(tl_.t_start);
    if (load_.closed) {
      // Completions refill each window at once; this loop restarts senders that paused after an error.
      while (now_ns() < tl_.t_meas_end) {
        for (auto& s : sides_) s->top_up();
        usleep(5000);
      }
    } else {
      for (uint64_t j = 0; j < tl_.total; ++j) {
        int64_t t = tl_.sched(j);
        sleep_until_ns(t);
        sides_[j % sides_.size()]->send(t, j >= tl_.warm);
      }
    }
    sending_done_ = true;
    // Drain: every request ends in a result within the client's request timeout (10 s).
    auto deadline = now_ns() + 12'000'000'000LL;
    while (outstanding_.load() > 0 && now_ns() < deadline) usleep(1000);
    Result r;
    r.name = name;
    r.ran = true;
    r.interval_s = static_cast<double>(tl_.t_meas_end - tl_.t_meas_start) / 1e9;
    sampler.fill(r);
    for (auto& s : sides_) {
      std::lock_guard lock(s->mu);
      s->tally.into(r);
      if (!load_.closed)
        for (auto& [mid, v] : s->pending)
          if (v.second) ++r.lost;
    }
    if (load_.closed) r.lost = outstanding_.load();
    sides_.clear();  // joins the clients' threads; no callback runs after this
    return r;
  }

 private:
  // One user: sends to its partner, and receives from it (the client engine acknowledges).
  struct Side final : rtm::EventHandler {
    Side(RtmLoad* o, std::string peer_id) : owner(o), peer(std::move(peer_id)) {
      msg = rtm::Message::from_text(std::string(o->load_.size, 'x'));
    }
    ~Side() override { client.reset(); }  // before the members its callbacks use

    bool wait_connected() {
      std::unique_lock lock(mu);
      return cv.wait_for(lock, std::chrono::seconds(15), [&] { return state == rtm::ConnectionState::CONNECTED; });
    }

    void send(int64_t origin, bool measured) {
      std::lock_guard lock(mu);  // the result callback must find the entry
      send_locked(origin, measured);
    }

    void send_locked(int64_t origin, bool measured) {
      int64_t mid = 0;
      int rc = client->send_message_to_peer(peer, msg, opts, &mid);
      bool counted = measured || (owner->load_.closed && owner->tl_.in_window(origin));
      if (counted) ++tally.sent;
      if (rc != 0) {
        if (counted) tally.completion(0, peer_err_name(rc) + "(refused)");
        backoff_until = origin + kErrorBackoffNs;
        return;
      }
      pending.emplace(mid, std::make_pair(origin, measured));
      ++owner->outstanding_;
    }

    // Closed loop: fill the window unless paused after an error.
    void top_up() {
      int64_t now = now_ns();
      std::lock_guard lock(mu);
      if (backoff_until > now || owner->sending_done_.load()) return;
      while (pending.size() < static_cast<std::size_t>(owner->load_.window) && backoff_until <= now)
        send_locked(now, false);
    }

    void on_connection_state_changed(rtm::ConnectionState s, rtm::ConnectionChangeReason) override {
      std::lock_guard lock(mu);
      state = s;
      cv.notify_all();
    }

    void on_send_message_result(int64_t mid, rtm::PeerMessageErr err) override {
      int64_t now = now_ns();
      std::lock_guard lock(mu);
      auto it = pending.find(mid);
      if (it == pending.end()) return;
      auto [origin, measured] = it->second;
      pending.erase(it);
      --owner->outstanding_;
      std::string e = err == rtm::PeerMessageErr::OK ? std::string() : peer_err_name(static_cast<int>(err));
      if (owner->load_.closed) {
        if (owner->tl_.in_window(now)) tally.completion(now - origin, e);
        if (!e.empty()) backoff_until = now + kErrorBackoffNs;
        else if (!owner->sending_done_.load()) send_locked(now, false);
      } else if (measured) {
        tally.completion(now - origin, e);
      }
    }

    RtmLoad* owner;
    std::string peer;
    rtm::Message msg;
    rtm::SendMessageOptions opts;
    std::mutex mu;
    std::condition_variable cv;
    rtm::ConnectionState state = rtm::ConnectionState::DISCONNECTED;
    std::unordered_map<int64_t, std::pair<int64_t, bool>> pending;  // message id -> origin, measured
    int64_t backoff_until = 0;
    Tally tally;
    std::unique_ptr<rtm::Client> client;
  };

  Load load_;
  uint16_t port_;
  std::string prefix_;
  bool tls_ = false;
  Timeline tl_;
  std::atomic<uint64_t> outstanding_{0};
  std::atomic<bool> sending_done_{false};
  std::vector<std::unique_ptr<Side>> sides_;  // index = sender
};

void print_ratio(const char* what, double num, double den, double target) {
  double ratio = den > 0 ? num / den : 0;
  std::printf("  %-4s %9.1f us vs %9.1f us  = %5.2fx  (target <= %.1fx)  %s\n", what, num / 1000, den / 1000, ratio,
              target, ratio <= target ? "MET" : "MISSED");
}

Result progress(Result r) {
  std::fprintf(stderr, "  done: %s (p50 %s us, p99 %s us)\n", r.name.c_str(), fmt_us(r.hist.quantile(0.5)).c_str(),
               fmt_us(r.hist.quantile(0.99)).c_str());
  return r;
}

}  // namespace

int run_latency(const LatencyOptions& o) {
  raise_nofile();
  tight_timer_slack();
  if (!pin_to_cpu(o.cpu_client)) std::fprintf(stderr, "rtm-bench: cannot pin to CPU %d\n", o.cpu_client);
  std::printf("rtm-bench latency: %d pairs (messages both ways, %d senders), %.0f msg/s offered in total, %zu-byte "
              "messages,\n  %.0f s measured per phase in %d interleaved rounds after %.1f s warm-up; throughput phase: "
              "%d pairs,\n  %d outstanding per sender, %.0f s; CPU placement: server/relay on CPU %d, clients on CPU %d; "
              "rtmd --threads 1\n",
              o.pairs, 2 * o.pairs, o.rate, o.size, o.duration_s, o.rounds, o.warmup_s, o.tput_pairs, o.window,
              o.tput_duration_s, o.cpu_server, o.cpu_client);
  std::fflush(stdout);

  Load open;
  open.pairs = o.pairs;
  open.rate = o.rate;
  open.warmup_s = o.warmup_s;
  open.duration_s = o.duration_s;
  open.size = o.size;
  Load closed = open;
  closed.closed = true;
  closed.window = o.window;
  closed.pairs = o.tput_pairs;
  closed.warmup_s = 1;
  closed.duration_s = o.tput_duration_s;

  Result relay, echo2, relay_tput, rtm_open, bare_open, rtm_tput, bare_tput, rtm_wss;
  // Both servers stay up for the whole run, pinned to the same CPU; each idles while the other
  // one's phase runs. The relay is forked first, before this process has any thread.
  Child relay_srv, rtmd;
  if (o.baselines) spawn_relay(o.cpu_server, relay_srv);
  RtmdOptions ro;
  ro.path = o.rtmd;
  ro.cpu = o.cpu_server;
  ro.no_rate_limits = true;  // the throughput phase measures the server, not its per-user limits
  ro.tls = o.tls;
  spawn_rtmd(ro, rtmd);
  std::printf("  rtmd command line: %s\n\n", rtmd.command_line.c_str());
  std::fflush(stdout);

  for (int round = 0; round < o.rounds; ++round) {
    Load slice = open;
    slice.duration_s = o.duration_s / o.rounds;
    if (round > 0) slice.warmup_s = std::min(o.warmup_s, 0.5);
    std::string tag = "r" + std::to_string(round);
    std::fprintf(stderr, "round %d/%d\n", round + 1, o.rounds);
    if (o.baselines) {
      slice.server_pid = relay_srv.pid;
      relay.merge(progress(TcpLoad(slice, false, relay_srv.ws_port).run("raw TCP relay (baseline)")));
      echo2.merge(progress(TcpLoad(slice, true, relay_srv.wss_port).run("2 raw TCP round trips")));
    }
    slice.server_pid = rtmd.pid;
    rtm_open.merge(progress(RtmLoad(slice, rtmd.ws_port, tag).run("rtm::Client peer messages")));
    if (o.bare_ws) bare_open.merge(progress(WsLoad(slice, rtmd.ws_port, tag + "w").run("rtm.v1, bare WebSocket client")));
    if (o.tls) rtm_wss.merge(progress(RtmLoad(slice, rtmd.wss_port, tag + "s", true).run("rtm::Client over wss")));
  }
  if (o.throughput) {
    if (o.baselines) {
      closed.server_pid = relay_srv.pid;
      relay_tput = progress(TcpLoad(closed, false, relay_srv.ws_port).run("raw TCP relay, closed loop"));
    }
    closed.server_pid = rtmd.pid;
    rtm_tput = progress(RtmLoad(closed, rtmd.ws_port, "t").run("rtm::Client, closed loop"));
    if (o.bare_ws) bare_tput = progress(WsLoad(closed, rtmd.ws_port, "tw").run("rtm.v1 bare WebSocket, closed loop"));
  }
  rtmd.stop();
  relay_srv.stop();

  std::printf("Open loop, %.0f msg/s offered (latency = scheduled send time -> OK result):\n", o.rate);
  print_result_header();
  for (auto* r : {&relay, &echo2, &rtm_open, &bare_open, &rtm_wss}) print_result(*r);
  if (o.throughput) {
    std::printf("\nClosed loop, %d senders with %d outstanding each (latency = actual send -> OK result):\n",
                2 * o.tput_pairs, o.window);
    print_result_header();
    for (auto* r : {&relay_tput, &rtm_tput, &bare_tput}) print_result(*r);
    for (auto* r : {&rtm_tput, &bare_tput})
      if (r->errors.count("TOO_OFTEN"))
        std::printf("  note: rtmd answered TOO_OFTEN during '%s': its per-user message rate limit bounds that figure "
                    "(senders pause %lld ms after an error)\n",
                    r->name.c_str(), static_cast<long long>(kErrorBackoffNs / 1000000));
  }
  bool met = true;
  if (relay.ran && rtm_open.ran) {
    std::printf("\nrtm::Client vs raw TCP relay baseline:\n");
    double p50 = static_cast<double>(rtm_open.hist.quantile(0.5)), b50 = static_cast<double>(relay.hist.quantile(0.5));
    double p99 = static_cast<double>(rtm_open.hist.quantile(0.99)), b99 = static_cast<double>(relay.hist.quantile(0.99));
    print_ratio("p50", p50, b50, 1.3);
    print_ratio("p99", p99, b99, 1.5);
    met = p50 <= 1.3 * b50 && p99 <= 1.5 * b99;
    if (bare_open.ran) {
      std::printf("  (bare WebSocket client vs relay: p50 %.2fx, p99 %.2fx)\n",
                  static_cast<double>(bare_open.hist.quantile(0.5)) / b50,
                  static_cast<double>(bare_open.hist.quantile(0.99)) / b99);
    }
    std::printf("LATENCY TARGETS: %s\n", met ? "MET" : "MISSED");
  }
  std::fflush(stdout);
  return 0;
}

}  // namespace bench
