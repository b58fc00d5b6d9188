// Scenario `latency`: acknowledged peer messages at a fixed offered rate (open loop), compared with a
// raw TCP relay doing the same four hops, plus a closed-loop throughput phase.
//
// Open loop: send k is scheduled at t0 + k / rate whatever happened to the sends before it, and its
// latency runs from that scheduled time to its completion. A stall therefore shows in the latency
// of every message scheduled during it (no coordinated omission).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <unistd.h>

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
  bool closed = false;  // closed loop: `window` outstanding per pair, refilled on completion
  int window = 32;
  pid_t server_pid = -1;
};

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
          sleep_until_ns(b);
          s1_ = server > 0 ? process_cpu_seconds(server) : -1;
          c1_ = process_cpu_seconds(::getpid());
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
  }

 private:
  double s0_ = -1, s1_ = -1, c0_ = 0, c1_ = 0;
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
  explicit AsioLoad(const Load& l) : load_(l), timer_(ioc_), deadline_(ioc_) {}
  virtual ~AsioLoad() = default;
  AsioLoad(const AsioLoad&) = delete;
  AsioLoad& operator=(const AsioLoad&) = delete;

  Result run(const std::string& name) {
    setup();
    tl_ = Timeline::make(load_);
    CpuSampler sampler(load_.server_pid, tl_);
    timer_.expires_at(at(tl_.t_start));
    if (load_.closed) {
      timer_.async_wait([this](beast::error_code ec) {
        if (ec) return;
        int64_t now = now_ns();
        for (int p = 0; p < load_.pairs; ++p)
          for (int w = 0; w < load_.window; ++w) issue(p, now, false);
        timer_.expires_at(at(tl_.t_meas_end));
        timer_.async_wait([this](beast::error_code e) {
          if (!e) end_sending();
        });
      });
    } else {
      timer_.async_wait([this](beast::error_code ec) {
        if (!ec) tick();
      });
    }
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
  // Sends one message on `pair`; its completion must call complete() with `origin` and `measured`.
  virtual void send(int pair, int64_t origin, bool measured) = 0;

  void complete(int pair, int64_t origin, bool measured, std::string_view err) {
    int64_t now = now_ns();
    --outstanding_;
    if (load_.closed) {
      if (tl_.in_window(now)) tally_.completion(now - origin, err);
      if (!sending_done_) issue(pair, now, false);
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
  void issue(int pair, int64_t origin, bool measured) {
    ++outstanding_;
    if (measured || (load_.closed && tl_.in_window(origin))) ++tally_.sent;
    send(pair, origin, measured);
  }

  void tick() {
    int64_t now = now_ns();
    while (next_ < tl_.total && tl_.sched(next_) <= now) {
      issue(static_cast<int>(next_ % static_cast<uint64_t>(load_.pairs)), tl_.sched(next_), next_ >= tl_.warm);
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
  bool sending_done_ = false;
};

// Frames of the raw TCP baselines: [origin ns][flags] then padding. flags bit 0: measured; bit 1:
// second leg (echo mode).
struct FrameHead {
  int64_t origin;
  uint64_t flags;
};
constexpr std::size_t kReplyBytes = 32;

class TcpLoad final : public AsioLoad {
 public:
  // echo2 = false: pairs A, B through the relay; A sends a frame, B answers with a 32-byte reply.
  // echo2 = true: one connection per pair to the echo port; a message is two round trips.
  TcpLoad(const Load& l, bool echo2, uint16_t port)
      : AsioLoad(l), echo2_(echo2), port_(port), frame_bytes_(std::max(l.size, sizeof(FrameHead))) {}

 private:
  struct Conn {
    explicit Conn(net::io_context& ioc) : sock(ioc) {}
    tcp::socket sock;
    int role = 0;  // 0: A (relay sender), 1: B (relay receiver), 2: echo client
    int pair = 0;
    std::array<char, 65536> rbuf{};
    std::string acc;
    std::string pending, inflight;
    bool busy = false;
  };

  void setup() override {
    tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port_);
    for (int p = 0; p < load_.pairs; ++p) {
      // The relay pairs connections in accept order: A then B, each connected before the next.
      for (int role : echo2_ ? std::vector<int>{2} : std::vector<int>{0, 1}) {
        auto c = std::make_unique<Conn>(ioc_);
        c->sock.connect(ep);
        c->sock.set_option(tcp::no_delay(true));
        c->role = role;
        c->pair = p;
        conns_.push_back(std::move(c));
      }
    }
    usleep(50000);  // let the relay accept and pair them
    for (auto& c : conns_) {
      if (c->role != 1) senders_.push_back(c.get());
      else receivers_.push_back(c.get());
      read(*c);
    }
  }

  void send(int pair, int64_t origin, bool measured) override {
    std::string f(frame_bytes_, 'x');
    FrameHead h{origin, measured ? 1u : 0u};
    std::memcpy(f.data(), &h, sizeof h);
    write(*senders_[static_cast<std::size_t>(pair)], f);
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
      std::size_t unit = c.role == 0 ? kReplyBytes : frame_bytes_;
      std::size_t off = 0;
      for (; c.acc.size() - off >= unit; off += unit) on_frame(c, c.acc.data() + off);
      c.acc.erase(0, off);
      read(c);
    });
  }

  void on_frame(Conn& c, const char* data) {
    FrameHead h;
    std::memcpy(&h, data, sizeof h);
    if (c.role == 1) {  // B: reply to A through the relay
      std::string r(kReplyBytes, 'r');
      std::memcpy(r.data(), &h, sizeof h);
      write(c, r);
    } else if (c.role == 2 && !(h.flags & 2u)) {  // echo: first round trip done, start the second
      std::string f(data, frame_bytes_);
      h.flags |= 2u;
      std::memcpy(f.data(), &h, sizeof h);
      write(c, f);
    } else {
      complete(c.pair, h.origin, h.flags & 1u, {});
    }
  }

  bool echo2_;
  uint16_t port_;
  std::size_t frame_bytes_;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::vector<Conn*> senders_, receivers_;
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
    bool sender = false;
    int pair = 0;
    std::string peer;
    uint64_t received = 0;
    int64_t next_id = 2;
    std::unordered_map<int64_t, std::pair<int64_t, bool>> pending;  // id -> origin, measured
  };

  void setup() override {
    tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port_);
    for (int p = 0; p < load_.pairs; ++p) {
      for (int s = 0; s < 2; ++s) {
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
        login.uid = prefix_ + (s == 0 ? "a_" : "b_") + std::to_string(p);
        bool bin = false;
        c->ws.write(net::buffer(rtm::proto::encode(login, bin)));
        c->ws.read(c->buf);
        rtm::proto::Frame res;
        auto d = c->buf.cdata();
        if (rtm::proto::decode(std::string_view(static_cast<const char*>(d.data()), d.size()), false, res) ||
            res.op != rtm::proto::Op::res || res.code != 0)
          throw std::runtime_error("bare WebSocket login failed for " + login.uid);
        c->buf.consume(c->buf.size());
        c->sender = s == 0;
        c->pair = p;
        c->peer = prefix_ + "b_" + std::to_string(p);
        conns_.push_back(std::move(c));
      }
    }
    for (auto& c : conns_) {
      if (c->sender) senders_.push_back(c.get());
      read(*c);
    }
  }

  void send(int pair, int64_t origin, bool measured) override {
    Conn& c = *senders_[static_cast<std::size_t>(pair)];
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
      complete(c.pair, origin, measured, err);
    }
  }

  uint16_t port_;
  std::string prefix_;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::vector<Conn*> senders_;
};

// ---- rtm::Client load generator -----------------------------------------------------------------

class RtmLoad {
 public:
  RtmLoad(const Load& l, uint16_t port, std::string prefix) : load_(l), port_(port), prefix_(std::move(prefix)) {}

  Result run(const std::string& name) {
    rtm::ClientConfig cc;
    cc.app_id = kApp;
    cc.url = "ws://127.0.0.1:" + std::to_string(port_);
    for (int p = 0; p < load_.pairs; ++p) {
      auto a = std::make_unique<Side>(this, p, prefix_ + "b_" + std::to_string(p));
      auto b = std::make_unique<Side>(this, p, "");
      a->client = std::make_unique<rtm::Client>(cc, a.get());
      b->client = std::make_unique<rtm::Client>(cc, b.get());
      if (a->client->login("", prefix_ + "a_" + std::to_string(p)) || b->client->login("", prefix_ + "b_" + std::to_string(p)))
        throw std::runtime_error("login refused");
      senders_.push_back(std::move(a));
      receivers_.push_back(std::move(b));
    }
    for (auto* v : {&senders_, &receivers_})
      for (auto& s : *v)
        if (!s->wait_connected()) throw std::runtime_error("rtm::Client login did not complete");

    tl_ = Timeline::make(load_);
    {
      CpuSampler sampler(load_.server_pid, tl_);
      if (load_.closed) {
        sleep_until_ns(tl_.t_start);
        int64_t now = now_ns();
        for (auto& s : senders_)
          for (int w = 0; w < load_.window; ++w) s->send(now, false);
        sleep_until_ns(tl_.t_meas_end);
        sending_done_ = true;
      } else {
        for (uint64_t j = 0; j < tl_.total; ++j) {
          int64_t t = tl_.sched(j);
          sleep_until_ns(t);
          senders_[j % senders_.size()]->send(t, j >= tl_.warm);
        }
        sending_done_ = true;
      }
      // Drain: every request ends in a result within the client's request timeout (10 s).
      auto deadline = now_ns() + 12'000'000'000LL;
      while (outstanding_.load() > 0 && now_ns() < deadline) usleep(1000);
      Result r;
      r.name = name;
      r.ran = true;
      r.interval_s = static_cast<double>(tl_.t_meas_end - tl_.t_meas_start) / 1e9;
      sampler.fill(r);
      for (auto& s : senders_) {
        std::lock_guard lock(s->mu);
        s->tally.into(r);
        if (!load_.closed)
          for (auto& [mid, v] : s->pending)
            if (v.second) ++r.lost;
      }
      if (load_.closed) r.lost = outstanding_.load();
      senders_.clear();  // joins the clients' threads; no callback runs after this
      receivers_.clear();
      return r;
    }
  }

 private:
  struct Side final : rtm::EventHandler {
    Side(RtmLoad* o, int p, std::string peer_id) : owner(o), pair(p), peer(std::move(peer_id)) {
      msg = rtm::Message::from_text(std::string(o->load_.size, 'x'));
    }
    ~Side() override { client.reset(); }  // before the members its callbacks use

    bool wait_connected() {
      std::unique_lock lock(mu);
      return cv.wait_for(lock, std::chrono::seconds(15), [&] { return state == rtm::ConnectionState::CONNECTED; });
    }

    void send(int64_t origin, bool measured) {
      std::lock_guard lock(mu);  // the result callback must find the entry
      int64_t mid = 0;
      int rc = client->send_message_to_peer(peer, msg, opts, &mid);
      bool counted = measured || (owner->load_.closed && owner->tl_.in_window(origin));
      if (counted) ++tally.sent;
      if (rc != 0) {
        if (counted) tally.completion(0, peer_err_name(rc) + "(refused)");
        return;
      }
      pending.emplace(mid, std::make_pair(origin, measured));
      ++owner->outstanding_;
    }

    void on_connection_state_changed(rtm::ConnectionState s, rtm::ConnectionChangeReason) override {
      std::lock_guard lock(mu);
      state = s;
      cv.notify_all();
    }

    void on_send_message_result(int64_t mid, rtm::PeerMessageErr err) override {
      int64_t now = now_ns();
      bool refill = false;
      {
        std::lock_guard lock(mu);
        auto it = pending.find(mid);
        if (it == pending.end()) return;
        auto [origin, measured] = it->second;
        pending.erase(it);
        std::string e = err == rtm::PeerMessageErr::OK ? std::string() : peer_err_name(static_cast<int>(err));
        if (owner->load_.closed) {
          if (owner->tl_.in_window(now)) tally.completion(now - origin, e);
          refill = !owner->sending_done_.load();
        } else if (measured) {
          tally.completion(now - origin, e);
        }
      }
      --owner->outstanding_;
      if (refill) send(now, false);
    }

    RtmLoad* owner;
    int pair;
    std::string peer;
    rtm::Message msg;
    rtm::SendMessageOptions opts;
    std::mutex mu;
    std::condition_variable cv;
    rtm::ConnectionState state = rtm::ConnectionState::DISCONNECTED;
    std::unordered_map<int64_t, std::pair<int64_t, bool>> pending;  // message id -> origin, measured
    Tally tally;
    std::unique_ptr<rtm::Client> client;
  };

  Load load_;
  uint16_t port_;
  std::string prefix_;
  Timeline tl_;
  std::atomic<uint64_t> outstanding_{0};
  std::atomic<bool> sending_done_{false};
  std::vector<std::unique_ptr<Side>> senders_, receivers_;
};

void print_ratio(const char* what, double num, double den, double target) {
  double ratio = den > 0 ? num / den : 0;
  std::printf("  %-4s %9.1f us vs %9.1f us  = %5.2fx  (target <= %.1fx)  %s\n", what, num / 1000, den / 1000, ratio,
              target, ratio <= target ? "MET" : "MISSED");
}

}  // namespace

int run_latency(const LatencyOptions& o) {
  raise_nofile();
  tight_timer_slack();
  if (!pin_to_cpu(o.cpu_client)) std::fprintf(stderr, "rtm-bench: cannot pin to CPU %d\n", o.cpu_client);
  std::printf("rtm-bench latency: %d pairs, %.0f msg/s offered in total, %zu-byte messages, %.0f s measured after "
              "%.0f s warm-up\n  CPU placement: server/relay on CPU %d, clients on CPU %d; rtmd --threads 1\n\n",
              o.pairs, o.rate, o.size, o.duration_s, o.warmup_s, o.cpu_server, o.cpu_client);
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
  closed.warmup_s = 1;
  closed.duration_s = o.tput_duration_s;

  Result relay, echo2, relay_tput, rtm_open, bare_open, rtm_tput, bare_tput;
  if (o.baselines) {
    Child r;
    spawn_relay(o.cpu_server, r);
    open.server_pid = closed.server_pid = r.pid;
    relay = TcpLoad(open, false, r.ws_port).run("raw TCP relay (baseline)");
    echo2 = TcpLoad(open, true, r.wss_port).run("2 raw TCP round trips");
    if (o.throughput) relay_tput = TcpLoad(closed, false, r.ws_port).run("raw TCP relay, closed loop");
    r.stop();
  }
  {
    Child rtmd;
    RtmdOptions ro;
    ro.path = o.rtmd;
    ro.cpu = o.cpu_server;
    spawn_rtmd(ro, rtmd);
    open.server_pid = closed.server_pid = rtmd.pid;
    rtm_open = RtmLoad(open, rtmd.ws_port, "").run("rtm::Client peer messages");
    if (o.bare_ws) bare_open = WsLoad(open, rtmd.ws_port, "w").run("rtm.v1, bare WebSocket client");
    if (o.throughput) {
      rtm_tput = RtmLoad(closed, rtmd.ws_port, "t").run("rtm::Client, closed loop");
      if (o.bare_ws) bare_tput = WsLoad(closed, rtmd.ws_port, "tw").run("rtm.v1 bare WebSocket, closed loop");
    }
    rtmd.stop();
  }

  std::printf("Open loop, %.0f msg/s offered (latency = scheduled send time -> OK result):\n", o.rate);
  print_result_header();
  for (auto* r : {&relay, &echo2, &rtm_open, &bare_open}) print_result(*r);
  if (o.throughput) {
    std::printf("\nClosed loop, %d outstanding per pair (latency = actual send -> OK result), max throughput:\n",
                o.window);
    print_result_header();
    for (auto* r : {&relay_tput, &rtm_tput, &bare_tput}) print_result(*r);
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
