#include "bench/util.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace bench {

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

void sleep_until_ns(int64_t t_ns) {
  // steady_clock is CLOCK_MONOTONIC on Linux; an absolute sleep does not drift.
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(t_ns / 1000000000);
  ts.tv_nsec = static_cast<long>(t_ns % 1000000000);
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

long raise_nofile() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return -1;
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  getrlimit(RLIMIT_NOFILE, &rl);
  return static_cast<long>(rl.rlim_cur);
}

bool pin_to_cpu(int cpu) {
  if (cpu < 0) return true;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof set, &set) == 0;
}

void tight_timer_slack() { prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL); }

double process_cpu_seconds(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto close = s.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream in(s.substr(close + 2));
  std::vector<std::string> tok;
  for (std::string t; in >> t;) tok.push_back(t);
  // Field 3 (state) is tok[0]; utime is field 14, stime field 15.
  if (tok.size() < 13) return -1;
  double ticks = static_cast<double>(std::stoull(tok[11]) + std::stoull(tok[12]));
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

MachineCpu machine_cpu() {
  std::ifstream f("/proc/stat");
  std::string cpu;
  unsigned long long v[8] = {};
  f >> cpu;
  for (auto& x : v) f >> x;
  double tck = static_cast<double>(sysconf(_SC_CLK_TCK));
  MachineCpu m;
  m.busy = static_cast<double>(v[0] + v[1] + v[2] + v[5] + v[6]) / tck;
  m.steal = static_cast<double>(v[7]) / tck;
  return m;
}

namespace {
long kb_field(const std::string& path, const std::string& key) {
  std::ifstream f(path);
  for (std::string line; std::getline(f, line);) {
    if (line.compare(0, key.size(), key) == 0 && line.size() > key.size() && line[key.size()] == ':') {
      return std::atol(line.c_str() + key.size() + 1) * 1024;
    }
  }
  return -1;
}
}  // namespace

long status_bytes(pid_t pid, const std::string& key) {
  return kb_field("/proc/" + std::to_string(pid) + "/status", key);
}

long smaps_rollup_bytes(pid_t pid, const std::string& key) {
  return kb_field("/proc/" + std::to_string(pid) + "/smaps_rollup", key);
}

long open_fds(pid_t pid) {
  std::error_code ec;
  long n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++n;
  return n;
}

std::string make_temp_dir(const std::string& tag) {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/rtm-bench-" + tag + "-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
  return std::string(buf.data());
}

int Child::stop(int grace_ms) {
  int status = -1;
  if (pid > 0) {
    ::kill(pid, SIGTERM);
    bool done = false;
    for (int waited = 0; waited < grace_ms; waited += 10) {
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        done = true;
        break;
      }
      ::usleep(10000);
    }
    if (!done) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
    }
    pid = -1;
  }
  if (!data_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(data_dir, ec);
    data_dir.clear();
  }
  return status;
}

bool wait_accepting(uint16_t port, int timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (Clock::now() < deadline) {
    int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::close(s);
    if (rc == 0) return true;
    ::usleep(20000);
  }
  return false;
}

bool rtmd_has_flag(const std::string& path, const std::string& flag) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  pid_t pid = ::fork();
  if (pid < 0) return false;
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::execl(path.c_str(), path.c_str(), "--help", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  ::waitpid(pid, nullptr, 0);
  return text.find(flag) != std::string::npos;
}

void spawn_rtmd(const RtmdOptions& opts, Child& out) {
  out.data_dir = make_temp_dir("rtmd");
  out.log_file = out.data_dir + "/rtmd.log";
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> args = {opts.path, "--data-dir", out.data_dir, "--threads", std::to_string(opts.threads),
                                   "--log-level", opts.log_level};
  if (opts.ws) args.insert(args.end(), {"--listen", "127.0.0.1:0"});
  if (opts.tls) args.insert(args.end(), {"--dev", "--tls-listen", "127.0.0.1:0"});
  if (opts.no_rate_limits && rtmd_has_flag(opts.path, "--no-rate-limits")) args.push_back("--no-rate-limits");
  out.command_line.clear();
  for (auto& a : args) out.command_line += (out.command_line.empty() ? "" : " ") + a;
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive rtm-bench
    ::dup2(fds[1], STDOUT_FILENO);
    int log = ::open(out.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log >= 0) ::dup2(log, STDERR_FILENO);
    if (!pin_to_cpu(opts.cpu)) std::fprintf(stderr, "rtm-bench: cannot pin rtmd to CPU %d\n", opts.cpu);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(opts.path.c_str(), argv.data());
    std::fprintf(stderr, "exec %s: %s\n", opts.path.c_str(), std::strerror(errno));
    ::_exit(127);
  }
  ::close(fds[1]);
  out.pid = pid;
  // Read stdout until the ready line: "rtmd ready: ws port N[, wss port M]".
  std::string text;
  auto deadline = Clock::now() + std::chrono::seconds(20);
  bool ready = false;
  while (!ready && Clock::now() < deadline) {
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    char buf[512];
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    ready = text.find('\n') != std::string::npos;
  }
  ::close(fds[0]);  // rtmd prints nothing more on stdout (and ignores SIGPIPE)
  unsigned ws = 0, wss = 0;
  if (!ready || std::sscanf(text.c_str(), "rtmd ready: ws port %u, wss port %u", &ws, &wss) < 1) {
    std::ifstream log(out.log_file);
    std::string l((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    throw std::runtime_error("rtmd did not start (stdout: '" + text + "', log: '" + l + "')");
  }
  out.ws_port = static_cast<uint16_t>(ws);
  out.wss_port = static_cast<uint16_t>(wss);
  uint16_t probe = out.ws_port ? out.ws_port : out.wss_port;
  if (!wait_accepting(probe, 10000)) throw std::runtime_error("rtmd does not accept connections");
}

// ---- histogram ----------------------------------------------------------------------------------

namespace {
constexpr std::size_t kLinear = 128;  // exact values below this
constexpr std::size_t kSub = 64;      // sub-buckets per power of two above it
constexpr std::size_t kBuckets = kLinear + 56 * kSub;
}  // namespace

Histogram::Histogram() : buckets_(kBuckets, 0) {}

std::size_t Histogram::index(uint64_t v) {
  if (v < kLinear) return static_cast<std::size_t>(v);
  int b = 63 - __builtin_clzll(v);  // >= 7
  int shift = b - 6;                // >= 1; v >> shift is in [64, 127]
  std::size_t sub = static_cast<std::size_t>(v >> shift) - kSub;
  return kLinear + static_cast<std::size_t>(shift - 1) * kSub + sub;
}

uint64_t Histogram::upper(std::size_t idx) {
  if (idx < kLinear) return idx;
  std::size_t k = idx - kLinear;
  int shift = static_cast<int>(k / kSub) + 1;
  uint64_t sub = k % kSub + kSub;
  return ((sub + 1) << shift) - 1;
}

void Histogram::record(int64_t ns) {
  if (ns < 0) ns = 0;
  std::size_t i = std::min(index(static_cast<uint64_t>(ns)), kBuckets - 1);
  ++buckets_[i];
  if (count_ == 0 || ns < min_) min_ = ns;
  if (ns > max_) max_ = ns;
  ++count_;
  sum_ += static_cast<double>(ns);
}

void Histogram::merge(const Histogram& o) {
  for (std::size_t i = 0; i < kBuckets; ++i) buckets_[i] += o.buckets_[i];
  if (o.count_) {
    if (count_ == 0 || o.min_ < min_) min_ = o.min_;
    max_ = std::max(max_, o.max_);
  }
  count_ += o.count_;
  sum_ += o.sum_;
}

int64_t Histogram::quantile(double q) const {
  if (count_ == 0) return 0;
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::min<int64_t>(static_cast<int64_t>(upper(i)), max_);
  }
  return max_;
}

void Result::merge(const Result& o) {
  if (!o.ran) return;
  if (!ran) {
    *this = o;
    return;
  }
  auto add = [](double& a, double b) { a = (a < 0 || b < 0) ? -1 : a + b; };
  hist.merge(o.hist);
  ok += o.ok;
  sent += o.sent;
  lost += o.lost;
  for (auto& [k, v] : o.errors) errors[k] += v;
  interval_s += o.interval_s;
  add(server_cpu_s, o.server_cpu_s);
  add(client_cpu_s, o.client_cpu_s);
  add(other_cpu_s, o.other_cpu_s);
  add(steal_s, o.steal_s);
}

// ---- printing -----------------------------------------------------------------------------------

std::string fmt_us(int64_t ns) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", static_cast<double>(ns) / 1000.0);
  return b;
}

void print_result_header() {
  std::printf("  %-34s %9s %8s %8s %8s %8s %9s %9s %8s %9s %9s\n", "phase (latencies in us)", "ok msg/s", "p50", "p90",
              "p99", "p99.9", "max", "srv cpu s", "srv us/m", "cli cpu s", "oth cpu s");
}

void print_result(const Result& r) {
  if (!r.ran) return;
  double rate = r.interval_s > 0 ? static_cast<double>(r.ok) / r.interval_s : 0;
  char srv[32] = "-", per[32] = "-", cli[32] = "-", oth[32] = "-";
  if (r.other_cpu_s >= 0) std::snprintf(oth, sizeof oth, "%.2f", r.other_cpu_s);
  if (r.server_cpu_s >= 0) {
    std::snprintf(srv, sizeof srv, "%.2f", r.server_cpu_s);
    if (r.ok) std::snprintf(per, sizeof per, "%.1f", r.server_cpu_s * 1e6 / static_cast<double>(r.ok));
  }
  if (r.client_cpu_s >= 0) std::snprintf(cli, sizeof cli, "%.2f", r.client_cpu_s);
  const auto& h = r.hist;
  std::printf("  %-34s %9.0f %8s %8s %8s %8s %9s %9s %8s %9s %9s\n", r.name.c_str(), rate,
              fmt_us(h.quantile(0.5)).c_str(), fmt_us(h.quantile(0.9)).c_str(), fmt_us(h.quantile(0.99)).c_str(),
              fmt_us(h.quantile(0.999)).c_str(), fmt_us(h.max()).c_str(), srv, per, cli, oth);
  std::string err;
  for (auto& [name, n] : r.errors) err += " " + name + "=" + std::to_string(n);
  if (r.lost) err += " no-result=" + std::to_string(r.lost);
  std::printf("  %-34s   sent %llu, ok %llu, interval %.2f s, steal %.2f s, errors:%s\n", "",
              static_cast<unsigned long long>(r.sent), static_cast<unsigned long long>(r.ok), r.interval_s, r.steal_s,
              err.empty() ? " none" : err.c_str());
}

}  // namespace bench
