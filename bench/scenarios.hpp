// The rtm-bench scenarios.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "bench/util.hpp"

namespace bench {

struct LatencyOptions {
  std::string rtmd;
  int pairs = 4;
  double rate = 2000;          // offered messages per second, all pairs together
  double duration_s = 10;      // measured interval of each open-loop phase
  double warmup_s = 2;         // before it, same rate, not recorded
  int rounds = 5;              // the open-loop phases run interleaved in this many slices
  std::size_t size = 64;       // message text bytes (relay frames: the same size)
  int cpu_server = -1;         // rtmd and the relay
  int cpu_client = -1;         // this process and its threads
  int window = 16;             // throughput phase: outstanding messages per sender
  int tput_pairs = 4;          // throughput phase: pairs (2 senders each)
  double tput_duration_s = 5;  // throughput phase: measured interval (after 1 s of warm-up)
  bool baselines = true;       // run the raw TCP baselines
  bool bare_ws = true;         // also run the rtm.v1 bare WebSocket client
  bool throughput = true;
  bool tls = false;            // also run rtm::Client over wss (open loop), for the record
};
int run_latency(const LatencyOptions& o);

struct IdleOptions {
  std::string rtmd;
  int conns = 10000;
  int procs = 4;
  bool tls = false;       // also measure wss
  int cpu_server = -1;
  int cpu_client = -1;
  int settle_s = 5;       // after the last login, before reading VmRSS
  int inflight = 128;     // connection attempts in flight per client process
  // Measure a server that is already running instead of spawning rtmd (e.g. under valgrind).
  uint16_t attach_port = 0;
  pid_t attach_pid = 0;
  bool attach_tls = false;
};
int run_idle(const IdleOptions& o);

// The raw TCP relay used as the baseline: a child process pinned to `cpu` that pairs the
// connections accepted on its relay port in accept order and forwards bytes between the two of a
// pair, and echoes bytes back on its echo port. out.ws_port is the relay port, out.wss_port the echo.
void spawn_relay(int cpu, Child& out);

}  // namespace bench
