#include "core/server/metrics.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/protocol/errors.hpp"
#include "core/server/config.hpp"
#include "core/server/service.hpp"

namespace rtm::server {

std::vector<std::pair<int, uint64_t>> CodeCounter::nonzero() const {
  std::vector<std::pair<int, uint64_t>> out;
  for (std::size_t i = 0; i < kSlots; ++i) {
    uint64_t n = slots_[i].load(std::memory_order_relaxed);
    if (!n) continue;
    int code = i < 16 ? static_cast<int>(i) : i == 16 ? 101 : i == 17 ? 102 : -1;
    out.emplace_back(code, n);
  }
  return out;
}

void LatencyHistogram::observe(double seconds) {
  std::size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_us_.fetch_add(static_cast<uint64_t>(std::max(0.0, seconds) * 1e6), std::memory_order_relaxed);
}

std::vector<uint64_t> LatencyHistogram::cumulative() const {
  std::vector<uint64_t> out;
  uint64_t running = 0;
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out.push_back(running);
  }
  return out;
}

namespace {

using Type = MetricFamily::Type;
using Labels = std::vector<std::pair<std::string, std::string>>;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

MetricFamily family(std::string name, std::string help, Type type) {
  MetricFamily f;
  f.name = std::move(name);
  f.help = std::move(help);
  f.type = type;
  return f;
}

void add(MetricFamily& f, Labels labels, double value) {
  MetricFamily::Sample s;
  s.labels = std::move(labels);
  s.value = value;
  f.samples.push_back(std::move(s));
}

template <class E>
MetricFamily by_result(std::string name, std::string help, const CodeCounter& c) {
  auto f = family(std::move(name), std::move(help), Type::counter);
  for (auto [code, n] : c.nonzero())
    add(f, {{"result", code < 0 ? "other" : lower(rtm::name(static_cast<E>(code)))}}, static_cast<double>(n));
  return f;
}

template <class A>
MetricFamily by_transport(std::string name, std::string help, Type type, const A& a) {
  auto f = family(std::move(name), std::move(help), type);
  add(f, {{"transport", "ws"}}, static_cast<double>(a[Metrics::ws].load(std::memory_order_relaxed)));
  add(f, {{"transport", "wss"}}, static_cast<double>(a[Metrics::wss].load(std::memory_order_relaxed)));
  return f;
}

double load(const std::atomic<uint64_t>& a) { return static_cast<double>(a.load(std::memory_order_relaxed)); }

// The process figures Prometheus clients conventionally export, read from /proc.
void process_figures(std::vector<MetricFamily>& out) {
  static const long ticks = sysconf(_SC_CLK_TCK);
  static const long page = sysconf(_SC_PAGESIZE);
  std::ifstream stat("/proc/self/stat");
  std::string line;
  std::getline(stat, line);
  auto close = line.rfind(')');
  if (close == std::string::npos) return;
  std::istringstream rest(line.substr(close + 2));
  std::vector<std::string> fields;  // from field 3 (state) on
  for (std::string w; rest >> w;) fields.push_back(w);
  if (fields.size() < 22) return;
  double utime = std::stod(fields[11]), stime = std::stod(fields[12]);
  double start_ticks = std::stod(fields[19]), vsize = std::stod(fields[20]), rss_pages = std::stod(fields[21]);
  double boot = 0;
  std::ifstream st("/proc/stat");
  for (std::string l; std::getline(st, l);)
    if (l.rfind("btime ", 0) == 0) boot = std::stod(l.substr(6));

  auto f = family("process_cpu_seconds_total", "User and system CPU time spent, in seconds.", Type::counter);
  add(f, {}, (utime + stime) / static_cast<double>(ticks));
  out.push_back(std::move(f));
  f = family("process_resident_memory_bytes", "Resident memory size in bytes.", Type::gauge);
  add(f, {}, rss_pages * static_cast<double>(page));
  out.push_back(std::move(f));
  f = family("process_virtual_memory_bytes", "Virtual memory size in bytes.", Type::gauge);
  add(f, {}, vsize);
  out.push_back(std::move(f));
  f = family("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.", Type::gauge);
  add(f, {}, boot + start_ticks / static_cast<double>(ticks));
  out.push_back(std::move(f));
  std::error_code ec;
  double fds = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec))
    ++fds;
  f = family("process_open_fds", "Number of open file descriptors.", Type::gauge);
  add(f, {}, fds);
  out.push_back(std::move(f));
  long max_fds = sysconf(_SC_OPEN_MAX);
  f = family("process_max_fds", "Maximum number of open file descriptors.", Type::gauge);
  add(f, {}, static_cast<double>(max_fds));
  out.push_back(std::move(f));
}

}  // namespace

std::vector<MetricFamily> metrics_snapshot(ServerCore& core) {
  const Metrics& m = core.metrics;
  std::vector<MetricFamily> out;
  out.push_back(by_transport("rtmd_connections_opened_total", "WebSocket connections accepted.", Type::counter,
                             m.connections_opened));
  out.push_back(by_transport("rtmd_connections", "WebSocket connections open now.", Type::gauge, m.connections_open));
  out.push_back(by_transport("rtmd_received_bytes_total", "Bytes read from client connections.", Type::counter,
                             m.bytes_received));
  out.push_back(by_transport("rtmd_sent_bytes_total", "Bytes written to client connections.", Type::counter,
                             m.bytes_sent));
  out.push_back(by_result<LoginErr>("rtmd_logins_total", "Login requests, by the result rtmd answered.", m.logins));
  out.push_back(by_result<PeerMessageErr>("rtmd_peer_messages_total",
                                          "Peer messages, by the result their sender got.", m.peer_messages));
  out.push_back(by_result<ChannelMessageErr>("rtmd_channel_messages_total",
                                             "Channel messages, by the result their sender got.", m.channel_messages));
  auto d = family("rtmd_deliveries_total", "Messages written to receiving connections.", Type::counter);
  add(d, {{"kind", "peer"}}, load(m.deliveries_peer));
  add(d, {{"kind", "channel"}}, load(m.deliveries_channel));
  add(d, {{"kind", "offline"}}, load(m.deliveries_offline));
  out.push_back(std::move(d));
  auto w = family("rtmd_offline_store_writes_total", "Offline messages written to the store.", Type::counter);
  add(w, {{"result", "ok"}}, load(m.store_writes_ok));
  add(w, {{"result", "failed"}}, load(m.store_writes_failed));
  out.push_back(std::move(w));
  auto h = family("rtmd_offline_store_write_seconds",
                  "Time from a peer message's arrival to its commit (and sync) in the offline store.", Type::histogram);
  {
    MetricFamily::Sample s;
    auto cum = m.store_write_seconds.cumulative();
    for (std::size_t i = 0; i < cum.size(); ++i) s.buckets.emplace_back(LatencyHistogram::kBounds[i], cum[i]);
    s.value = static_cast<double>(m.store_write_seconds.count());
    s.sum = m.store_write_seconds.sum();
    h.samples.push_back(std::move(s));
  }
  out.push_back(std::move(h));
  auto r = family("rtmd_rate_limited_total", "Requests refused with TOO_OFTEN, by rate limit.", Type::counter);
  for (std::size_t i = 0; i < kRateLimitCount; ++i)
    if (auto n = m.rate_limited[i].load(std::memory_order_relaxed)) add(r, {{"limit", rate_limit_names()[i].name}}, static_cast<double>(n));
  out.push_back(std::move(r));
  auto p = family("rtmd_protocol_errors_total", "Frames answered with a protocol error.", Type::counter);
  add(p, {}, load(m.protocol_errors));
  out.push_back(std::move(p));
  auto sc = family("rtmd_slow_consumers_closed_total",
                   "Connections closed because their outbound queue overflowed (close code 4100).", Type::counter);
  add(sc, {}, load(m.slow_consumers_closed));
  out.push_back(std::move(sc));

  // Per-app gauges, read from the shared state now.
  std::map<std::string, std::pair<uint64_t, uint64_t>> per_app;  // app -> (online users, channels)
  core.users.for_each([&](const std::string&, const std::shared_ptr<UserRecord>& u) {
    std::lock_guard l(u->mu);
    if (!u->ended && u->attached) ++per_app[u->app].first;
  });
  core.channels.for_each([&](const std::string&, const std::shared_ptr<Channel>& c) { ++per_app[c->app].second; });
  auto users = family("rtmd_online_users", "Users logged in with an attached connection, by app.", Type::gauge);
  auto chans = family("rtmd_channels", "Channels that exist (members or attributes), by app.", Type::gauge);
  for (auto& [app, n] : per_app) {
    add(users, {{"app", app}}, static_cast<double>(n.first));
    add(chans, {{"app", app}}, static_cast<double>(n.second));
  }
  out.push_back(std::move(users));
  out.push_back(std::move(chans));
  auto info = family("rtmd_build_info", "The rtmd version, as a label; the value is 1.", Type::gauge);
  add(info, {{"version", project_version()}}, 1);
  out.push_back(std::move(info));
  process_figures(out);
  return out;
}

namespace {

void put_number(std::string& out, double v) {
  char buf[64];
  if (v == static_cast<double>(static_cast<int64_t>(v)) && v > -1e15 && v < 1e15)
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  else
    std::snprintf(buf, sizeof buf, "%.17g", v);
  out += buf;
}

void put_labels(std::string& out, const Labels& labels, const char* extra_name = nullptr, const std::string& extra = {}) {
  if (labels.empty() && !extra_name) return;
  out += '{';
  bool first = true;
  auto one = [&](const std::string& k, const std::string& v) {
    if (!first) out += ',';
    first = false;
    out += k;
    out += "=\"";
    for (char c : v) {
      if (c == '\\') out += "\\\\";
      else if (c == '"') out += "\\\"";
      else if (c == '\n') out += "\\n";
      else out += c;
    }
    out += '"';
  };
  for (auto& [k, v] : labels) one(k, v);
  if (extra_name) one(extra_name, extra);
  out += '}';
}

const char* type_name(Type t) {
  switch (t) {
    case Type::counter: return "counter";
    case Type::gauge: return "gauge";
    case Type::histogram: return "histogram";
  }
  return "untyped";
}

}  // namespace

std::string prometheus_text(const std::vector<MetricFamily>& families) {
  std::string out;
  out.reserve(8192);
  for (auto& f : families) {
    out += "# HELP " + f.name + ' ' + f.help + '\n';
    out += "# TYPE " + f.name + ' ' + type_name(f.type) + '\n';
    for (auto& s : f.samples) {
      if (f.type != Type::histogram) {
        out += f.name;
        put_labels(out, s.labels);
        out += ' ';
        put_number(out, s.value);
        out += '\n';
        continue;
      }
      for (auto& [bound, n] : s.buckets) {
        char le[32];
        std::snprintf(le, sizeof le, "%g", bound);
        out += f.name + "_bucket";
        put_labels(out, s.labels, "le", le);
        out += ' ';
        put_number(out, static_cast<double>(n));
        out += '\n';
      }
      out += f.name + "_bucket";
      put_labels(out, s.labels, "le", "+Inf");
      out += ' ';
      put_number(out, s.value);
      out += '\n' + f.name + "_sum";
      put_labels(out, s.labels);
      out += ' ';
      put_number(out, s.sum);
      out += '\n' + f.name + "_count";
      put_labels(out, s.labels);
      out += ' ';
      put_number(out, s.value);
      out += '\n';
    }
  }
  return out;
}

}  // namespace rtm::server
