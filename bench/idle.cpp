// Scenario `idle`: rtmd's resident memory per idle, logged-in WebSocket connection (ws and wss).
//
// Client processes are forked before any Asio object exists in the parent. Each one runs many
// connections on one io_context from its own source address (127.0.0.2, .3, ...), so that the
// ephemeral ports of one address are not the limit. After the login every connection keeps a read
// pending, which lets Beast answer the server's keep-alive pings.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include "bench/scenarios.hpp"
#include "core/protocol/codec.hpp"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace bench {
namespace {

struct ChildSpec {
  uint16_t port = 0;
  bool tls = false;
  std::string src_ip;
  int first = 0;   // user ids idle-<first> ...
  int count = 0;
  int inflight = 128;
  bool exit_when_done = false;  // warm-up: close everything and exit after the logins
};

// Runs in a forked client process. Writes "R <ok> <failed> <first error>\n" to `report` when every
// connection has logged in or failed, and "D <dropped>\n" when told to stop with SIGTERM.
template <bool Tls>
class IdleClients {
  using Next = std::conditional_t<Tls, ssl::stream<tcp::socket>, tcp::socket>;

  struct Conn {
    Conn(net::io_context& ioc, ssl::context& ctx) : ws(make(ioc, ctx)) {}
    static websocket::stream<Next> make(net::io_context& ioc, ssl::context& ctx) {
      if constexpr (Tls) return websocket::stream<Next>(ioc, ctx);
      else return websocket::stream<Next>(ioc);
    }
    tcp::socket& sock() { return beast::get_lowest_layer(ws); }
    websocket::stream<Next> ws;
    beast::flat_buffer buf;
    std::string login;
    bool logged_in = false;
    bool done = false;
  };

 public:
  IdleClients(const ChildSpec& s, int report) : spec_(s), report_(report), ctx_(ssl::context::tls_client), sigs_(ioc_, SIGTERM) {
    ctx_.set_verify_mode(ssl::verify_none);
  }

  void run() {
    sigs_.async_wait([this](beast::error_code, int) {
      say("D " + std::to_string(dropped_) + "\n");
      ::_exit(0);
    });
    conns_.reserve(static_cast<std::size_t>(spec_.count));
    start_more();
    ioc_.run();
  }

 private:
  void say(const std::string& s) {
    if (::write(report_, s.data(), s.size()) < 0) ::_exit(3);
  }

  void start_more() {
    while (active_ < spec_.inflight && started_ < spec_.count) launch(started_++);
  }

  void launch(int i) {
    ++active_;
    conns_.push_back(std::make_unique<Conn>(ioc_, ctx_));
    Conn& c = *conns_.back();
    rtm::proto::Frame f;
    f.op = rtm::proto::Op::login;
    f.id = 1;
    f.app = "bench";
    f.uid = "idle-" + std::to_string(spec_.first + i);
    bool bin = false;
    c.login = rtm::proto::encode(f, bin);
    beast::error_code ec;
    c.sock().open(tcp::v4(), ec);
    int one = 1;
    if (!ec) ::setsockopt(c.sock().native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    if (!ec) c.sock().bind(tcp::endpoint(net::ip::make_address(spec_.src_ip), 0), ec);
    if (ec) return fail(c, ec, "bind");
    tcp::endpoint server(net::ip::make_address("127.0.0.1"), spec_.port);
    c.sock().async_connect(server, [this, &c](beast::error_code e) {
      if (e) return fail(c, e, "connect");
      if constexpr (Tls) {
        c.ws.next_layer().async_handshake(ssl::stream_base::client, [this, &c](beast::error_code e2) {
          if (e2) return fail(c, e2, "tls");
          upgrade(c);
        });
      } else {
        upgrade(c);
      }
    });
  }

  void upgrade(Conn& c) {
    c.ws.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
      req.set(beast::http::field::sec_websocket_protocol, rtm::proto::kSubprotocol);
    }));
    c.ws.async_handshake("127.0.0.1", "/", [this, &c](beast::error_code e) {
      if (e) return fail(c, e, "upgrade");
      c.ws.text(true);
      c.ws.async_write(net::buffer(c.login), [this, &c](beast::error_code e2, std::size_t) {
        if (e2) return fail(c, e2, "login write");
        c.ws.async_read(c.buf, [this, &c](beast::error_code e3, std::size_t) {
          if (e3) return fail(c, e3, "login read");
          auto d = c.buf.cdata();
          rtm::proto::Frame res;
          int err = rtm::proto::decode(std::string_view(static_cast<const char*>(d.data()), d.size()), false, res);
          c.buf.consume(c.buf.size());
          if (err || res.op != rtm::proto::Op::res || res.code != 0)
            return fail(c, {}, "login answered code " + std::to_string(res.code));
          c.login.clear();
          c.login.shrink_to_fit();
          c.logged_in = true;
          ++ok_;
          finished_one();
          if (spec_.exit_when_done) return;
          idle_read(c);
        });
      });
    });
  }

  void idle_read(Conn& c) {
    c.ws.async_read(c.buf, [this, &c](beast::error_code e, std::size_t) {
      if (e) {
        ++dropped_;
        return;
      }
      c.buf.consume(c.buf.size());
      idle_read(c);
    });
  }

  void fail(Conn& c, beast::error_code ec, const std::string& what) {
    if (c.done) return;
    c.done = true;
    if (first_error_.empty()) first_error_ = what + (ec ? ": " + ec.message() : std::string());
    ++failed_;
    beast::error_code ignored;
    c.sock().close(ignored);
    finished_one();
  }

  void finished_one() {
    --active_;
    if (ok_ + failed_ == spec_.count) {
      std::string e = first_error_.empty() ? "-" : first_error_;
      for (auto& ch : e)
        if (ch == '\n') ch = ' ';
      say("R " + std::to_string(ok_) + " " + std::to_string(failed_) + " " + e + "\n");
      if (spec_.exit_when_done) {
        for (auto& c : conns_) {
          beast::error_code ignored;
          c->sock().close(ignored);
        }
        ::_exit(0);
      }
    }
    start_more();
  }

  ChildSpec spec_;
  int report_;
  net::io_context ioc_{1};
  ssl::context ctx_;
  net::signal_set sigs_;
  std::vector<std::unique_ptr<Conn>> conns_;
  int active_ = 0, started_ = 0, ok_ = 0, failed_ = 0, dropped_ = 0;
  std::string first_error_;
};

struct ClientProc {
  pid_t pid = -1;
  int fd = -1;
  std::string buf;
  bool reported = false;
  int ok = 0, failed = 0, dropped = -1;
  std::string error;
};

ClientProc fork_clients(const ChildSpec& spec, int cpu) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive rtm-bench
    ::close(fds[0]);
    pin_to_cpu(cpu);
    try {
      if (spec.tls) IdleClients<true>(spec, fds[1]).run();
      else IdleClients<false>(spec, fds[1]).run();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "idle client: %s\n", e.what());
      ::_exit(2);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  ClientProc p;
  p.pid = pid;
  p.fd = fds[0];
  return p;
}

// Reads report lines until every process has sent one starting with `tag` (or timeout).
bool collect(std::vector<ClientProc>& procs, char tag, int timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    std::vector<pollfd> pf;
    std::vector<ClientProc*> who;
    for (auto& p : procs) {
      bool have = tag == 'R' ? p.reported : p.dropped >= 0;
      if (!have && p.fd >= 0) {
        pf.push_back({p.fd, POLLIN, 0});
        who.push_back(&p);
      }
    }
    if (pf.empty()) return true;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    if (::poll(pf.data(), pf.size(), static_cast<int>(std::min<long>(left, 500))) <= 0) continue;
    for (std::size_t i = 0; i < pf.size(); ++i) {
      if (!(pf[i].revents & (POLLIN | POLLHUP))) continue;
      ClientProc& p = *who[i];
      char b[512];
      ssize_t n = ::read(p.fd, b, sizeof b);
      if (n <= 0) {
        ::close(p.fd);
        p.fd = -1;
        continue;
      }
      p.buf.append(b, static_cast<std::size_t>(n));
      std::size_t nl;
      while ((nl = p.buf.find('\n')) != std::string::npos) {
        std::string line = p.buf.substr(0, nl);
        p.buf.erase(0, nl + 1);
        std::istringstream in(line);
        char t = 0;
        in >> t;
        if (t == 'R') {
          in >> p.ok >> p.failed;
          std::getline(in, p.error);
          p.reported = true;
        } else if (t == 'D') {
          in >> p.dropped;
        }
      }
    }
  }
}

struct Mem {
  long rss = -1, anon = -1, file = -1, fds = -1;
  static Mem read(pid_t pid) {
    Mem m;
    if (pid <= 0) return m;
    m.rss = status_bytes(pid, "VmRSS");
    m.anon = status_bytes(pid, "RssAnon");
    m.file = status_bytes(pid, "RssFile");
    m.fds = open_fds(pid);
    return m;
  }
};

double mib(long b) { return static_cast<double>(b) / (1024.0 * 1024.0); }

struct IdleResult {
  std::string name;
  int ok = 0, failed = 0, dropped = 0;
  double login_s = 0;
  Mem before, after;
  double per_conn = -1;
  long target = 0;
  std::string error;
};

IdleResult measure(const IdleOptions& o, bool tls, uint16_t port, pid_t server) {
  IdleResult r;
  r.name = tls ? "wss" : "ws";
  r.target = tls ? 32 * 1024 : 8 * 1024;

  // Warm-up: a few connections log in and go away, so that lazily initialised state exists.
  {
    ChildSpec w;
    w.port = port;
    w.tls = tls;
    w.src_ip = "127.0.0.2";
    w.first = 1000000;
    w.count = 64;
    w.exit_when_done = true;
    std::vector<ClientProc> warm{fork_clients(w, o.cpu_client)};
    collect(warm, 'R', 30000);
    ::waitpid(warm[0].pid, nullptr, 0);
    if (warm[0].fd >= 0) ::close(warm[0].fd);
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  r.before = Mem::read(server);

  std::vector<ClientProc> procs;
  int per = o.conns / o.procs, extra = o.conns % o.procs;
  auto t0 = Clock::now();
  for (int k = 0, first = 0; k < o.procs; ++k) {
    ChildSpec s;
    s.port = port;
    s.tls = tls;
    s.src_ip = "127.0.0." + std::to_string(2 + k);
    s.first = first;
    s.count = per + (k < extra ? 1 : 0);
    s.inflight = o.inflight;
    first += s.count;
    procs.push_back(fork_clients(s, o.cpu_client));
  }
  bool all = collect(procs, 'R', 240000);
  r.login_s = std::chrono::duration<double>(Clock::now() - t0).count();
  for (auto& p : procs) {
    r.ok += p.ok;
    r.failed += p.failed;
    if (r.error.empty() && p.failed) r.error = p.error;
  }
  if (!all) r.error += " (some client processes did not finish in time)";
  std::this_thread::sleep_for(std::chrono::seconds(o.settle_s));
  r.after = Mem::read(server);

  for (auto& p : procs) ::kill(p.pid, SIGTERM);
  collect(procs, 'D', 10000);
  for (auto& p : procs) {
    if (p.dropped > 0) r.dropped += p.dropped;
    ::waitpid(p.pid, nullptr, 0);
    if (p.fd >= 0) ::close(p.fd);
  }
  if (r.ok > 0 && r.before.rss >= 0 && r.after.rss >= 0)
    r.per_conn = static_cast<double>(r.after.rss - r.before.rss) / r.ok;
  return r;
}

void print(const IdleResult& r) {
  std::printf("%s: %d connections logged in, %d failed, in %.1f s%s%s\n", r.name.c_str(), r.ok, r.failed, r.login_s,
              r.error.empty() ? "" : "; first error: ", r.error.c_str());
  std::printf("  rtmd open fds: %ld before, %ld after; connections dropped while idle: %d\n", r.before.fds,
              r.after.fds, r.dropped);
  std::printf("  rtmd VmRSS  : %8.1f MiB before, %8.1f MiB after\n", mib(r.before.rss), mib(r.after.rss));
  std::printf("  rtmd RssAnon: %8.1f MiB before, %8.1f MiB after (%.0f bytes per connection)\n", mib(r.before.anon),
              mib(r.after.anon), r.ok ? static_cast<double>(r.after.anon - r.before.anon) / r.ok : 0.0);
  std::printf("  rtmd RssFile: %8.1f MiB before, %8.1f MiB after\n", mib(r.before.file), mib(r.after.file));
  if (r.per_conn >= 0)
    std::printf("  %s: %.0f bytes of rtmd VmRSS per idle connection (target <= %ld): %s\n", r.name.c_str(), r.per_conn,
                r.target, r.per_conn <= static_cast<double>(r.target) ? "MET" : "MISSED");
}

}  // namespace

int run_idle(const IdleOptions& o) {
  long nofile = raise_nofile();
  if (!pin_to_cpu(o.cpu_client)) std::fprintf(stderr, "rtm-bench: cannot pin to CPU %d\n", o.cpu_client);
  std::printf("rtm-bench idle: %d connections over %d client processes, RLIMIT_NOFILE %ld; rtmd --threads 1 on CPU "
              "%d, clients on CPU %d\n\n",
              o.conns, o.procs, nofile, o.cpu_server, o.cpu_client);
  std::fflush(stdout);
  std::vector<IdleResult> results;
  if (o.attach_port) {
    results.push_back(measure(o, o.attach_tls, o.attach_port, o.attach_pid));
    print(results.back());
  } else {
    for (bool tls : {false, true}) {
      if (tls && !o.tls) break;
      Child rtmd;
      RtmdOptions ro;
      ro.path = o.rtmd;
      ro.cpu = o.cpu_server;
      ro.ws = !tls;
      ro.tls = tls;
      spawn_rtmd(ro, rtmd);
      std::printf("rtmd command line: %s\n", rtmd.command_line.c_str());
      std::fflush(stdout);
      results.push_back(measure(o, tls, tls ? rtmd.wss_port : rtmd.ws_port, rtmd.pid));
      rtmd.stop();
      print(results.back());
      std::fflush(stdout);
    }
  }
  bool met = true;
  for (auto& r : results) met = met && r.per_conn >= 0 && r.per_conn <= static_cast<double>(r.target) && r.failed == 0;
  std::printf("\nMEMORY TARGETS: %s\n", met ? "MET" : "MISSED");
  std::fflush(stdout);
  return 0;
}

}  // namespace bench
