// rtm-bench support: clocks, CPU placement, /proc readers, spawning rtmd, and a latency histogram.
#pragma once
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bench {

using Clock = std::chrono::steady_clock;

// Monotonic time in nanoseconds (the same clock as Clock).
int64_t now_ns();
// Sleeps until the monotonic time `t_ns` (absolute).
void sleep_until_ns(int64_t t_ns);

// Raises RLIMIT_NOFILE to the hard limit; returns the new soft limit.
long raise_nofile();
// Pins the calling thread (and every thread it creates afterwards) to `cpu`; -1 does nothing.
bool pin_to_cpu(int cpu);
// Timer slack of 1 ns for the calling thread and its future threads, so that sleeps end on time.
void tight_timer_slack();

// utime + stime of a whole process (all its threads), in seconds; -1 when unreadable.
double process_cpu_seconds(pid_t pid);
// Machine-wide CPU seconds from /proc/stat: busy (user+nice+system+irq+softirq, all CPUs) and steal.
struct MachineCpu {
  double busy = 0, steal = 0;
};
MachineCpu machine_cpu();
// A "Key:   N kB" field of /proc/PID/status, in bytes; -1 when absent.
long status_bytes(pid_t pid, const std::string& key);
// A "Key:   N kB" field of /proc/PID/smaps_rollup, in bytes; -1 when absent.
long smaps_rollup_bytes(pid_t pid, const std::string& key);
// Number of open file descriptors of a process.
long open_fds(pid_t pid);

// A child process of ours.
struct Child {
  pid_t pid = -1;
  uint16_t ws_port = 0;
  uint16_t wss_port = 0;
  std::string data_dir;  // removed by stop() when set
  std::string log_file;
  std::string command_line;  // rtmd: how it was started

  // SIGTERM, wait up to `grace_ms`, then SIGKILL. Returns the wait status (or -1).
  int stop(int grace_ms = 10000);
  ~Child() { stop(); }
};

struct RtmdOptions {
  std::string path;
  int cpu = -1;
  unsigned threads = 1;
  bool ws = true;    // a ws listener on 127.0.0.1:0
  bool tls = false;  // a wss listener on 127.0.0.1:0 with --dev (self-signed certificate)
  bool no_rate_limits = false;  // pass --no-rate-limits when this rtmd knows the flag
  std::string log_level = "warn";
};

// Starts rtmd in a fresh temporary data directory, pinned to opts.cpu, and waits until it prints
// its ports and accepts a TCP connection. Throws std::runtime_error on failure.
void spawn_rtmd(const RtmdOptions& opts, Child& out);

// True when `rtmd --help` lists `flag`.
bool rtmd_has_flag(const std::string& path, const std::string& flag);

// Waits until a TCP connect to 127.0.0.1:port succeeds.
bool wait_accepting(uint16_t port, int timeout_ms);

// Log-linear histogram of nanosecond values: exact below 128 ns, then 64 sub-buckets per power of
// two (relative error under 1.6 %). Max, min, sum and count are exact.
class Histogram {
 public:
  Histogram();
  void record(int64_t ns);
  void merge(const Histogram& o);
  uint64_t count() const { return count_; }
  int64_t max() const { return max_; }
  int64_t min() const { return count_ ? min_ : 0; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  // The value at quantile q (0..1): the upper edge of the bucket holding it, capped at max.
  int64_t quantile(double q) const;

 private:
  static std::size_t index(uint64_t v);
  static uint64_t upper(std::size_t idx);
  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  int64_t max_ = 0;
  int64_t min_ = 0;
  double sum_ = 0;
};

// A named latency result of one phase.
struct Result {
  std::string name;
  Histogram hist;                          // measured latencies, ns
  uint64_t ok = 0;                         // measured messages completed OK
  uint64_t sent = 0;                       // measured messages sent (or attempted)
  uint64_t lost = 0;                       // measured messages with no completion by the end
  std::map<std::string, uint64_t> errors;  // by error name
  double interval_s = 0;                   // length of the measured interval
  double server_cpu_s = -1;                // server process utime+stime over the interval
  double client_cpu_s = -1;                // this process, over the interval
  double other_cpu_s = -1;                 // every other process on the machine, over the interval
  double steal_s = -1;                     // time the hypervisor took from our CPUs, over the interval
  bool ran = false;

  // Adds another slice of the same phase (histograms, counts, intervals and CPU times add up).
  void merge(const Result& o);
};

// One fixed-width line for a latency result, plus errors on a second line when there are any.
void print_result_header();
void print_result(const Result& r);
std::string fmt_us(int64_t ns);

// Creates a fresh directory under $TMPDIR (or /tmp).
std::string make_temp_dir(const std::string& tag);

}  // namespace bench
