// rtm-bench: load and resource measurements for rtmd. It prints numbers; it is not a test.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include "bench/scenarios.hpp"
#include "core/common/log.hpp"

namespace {

const char* kUsage = R"(usage:
  rtm-bench latency --rtmd PATH [--pairs N] [--rate MSGS_PER_SEC] [--duration SEC] [--warmup SEC]
                    [--rounds N] [--size BYTES] [--cpu-server CPU --cpu-client CPU] [--window N]
                    [--tput-pairs N] [--tput-duration SEC] [--no-baseline] [--no-bare] [--no-throughput]
                    [--tls]
      Acknowledged peer messages between N pairs of rtm::Client (both directions) at a fixed offered
      rate (open loop, latency from the scheduled send time), against a raw TCP relay baseline with
      the same CPU placement; then a closed-loop maximum throughput phase (--window outstanding
      messages per sender, --tput-pairs pairs). The open-loop phases run interleaved in --rounds
      slices (relay, echo, rtm::Client, bare WebSocket, relay, ...) so that they see the same
      background load; the first slice of each has the full warm-up, later ones at most 0.5 s.
      --tls adds an open-loop phase of rtm::Client over wss, for the record.
  rtm-bench idle --rtmd PATH [--conns N] [--procs N] [--tls] [--cpu-server CPU --cpu-client CPU]
                 [--settle SEC] [--inflight N]
  rtm-bench idle --attach-port PORT [--attach-pid PID] [--attach-tls] [--conns N] [--procs N]
      rtmd's resident memory per idle logged-in connection (ws; with --tls also wss). The attach
      form measures a server that is already running instead of spawning rtmd.
)";

struct Args {
  Args(int c, char** v) : argc(c), argv(v) {}
  int argc;
  char** argv;
  int i = 2;
  std::string flag;
  bool more() const { return i < argc; }
  std::string next_flag() { return flag = argv[i++]; }
  std::string value() {
    if (i >= argc) throw std::runtime_error(flag + " needs a value");
    return argv[i++];
  }
  int integer() { return std::stoi(value()); }
  double number() { return std::stod(value()); }
};

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  rtm::log::set_level(rtm::log::Level::error);
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string cmd = argv[1];
  Args a(argc, argv);
  try {
    if (cmd == "latency") {
      bench::LatencyOptions o;
      while (a.more()) {
        auto f = a.next_flag();
        if (f == "--rtmd") o.rtmd = a.value();
        else if (f == "--pairs") o.pairs = a.integer();
        else if (f == "--rate") o.rate = a.number();
        else if (f == "--duration") o.duration_s = a.number();
        else if (f == "--warmup") o.warmup_s = a.number();
        else if (f == "--rounds") o.rounds = a.integer();
        else if (f == "--size") o.size = static_cast<std::size_t>(a.integer());
        else if (f == "--cpu-server") o.cpu_server = a.integer();
        else if (f == "--cpu-client") o.cpu_client = a.integer();
        else if (f == "--window") o.window = a.integer();
        else if (f == "--tput-duration") o.tput_duration_s = a.number();
        else if (f == "--tput-pairs") o.tput_pairs = a.integer();
        else if (f == "--no-baseline") o.baselines = false;
        else if (f == "--no-bare") o.bare_ws = false;
        else if (f == "--no-throughput") o.throughput = false;
        else if (f == "--tls") o.tls = true;
        else throw std::runtime_error("unknown option " + f);
      }
      if (o.rtmd.empty()) throw std::runtime_error("--rtmd PATH is required");
      if (o.pairs < 1 || o.rate <= 0 || o.duration_s <= 0 || o.warmup_s < 0 || o.window < 1 || o.tput_pairs < 1 || o.rounds < 1 || o.size < 1 ||
          o.size > 32 * 1024)
        throw std::runtime_error("bad numeric option");
      return bench::run_latency(o);
    }
    if (cmd == "idle") {
      bench::IdleOptions o;
      while (a.more()) {
        auto f = a.next_flag();
        if (f == "--rtmd") o.rtmd = a.value();
        else if (f == "--conns") o.conns = a.integer();
        else if (f == "--procs") o.procs = a.integer();
        else if (f == "--tls") o.tls = true;
        else if (f == "--cpu-server") o.cpu_server = a.integer();
        else if (f == "--cpu-client") o.cpu_client = a.integer();
        else if (f == "--settle") o.settle_s = a.integer();
        else if (f == "--inflight") o.inflight = a.integer();
        else if (f == "--attach-port") o.attach_port = static_cast<uint16_t>(a.integer());
        else if (f == "--attach-pid") o.attach_pid = a.integer();
        else if (f == "--attach-tls") o.attach_tls = true;
        else throw std::runtime_error("unknown option " + f);
      }
      if (o.rtmd.empty() && !o.attach_port) throw std::runtime_error("--rtmd PATH (or --attach-port) is required");
      if (o.conns < 1 || o.procs < 1 || o.procs > 250 || o.inflight < 1) throw std::runtime_error("bad numeric option");
      return bench::run_idle(o);
    }
    throw std::runtime_error("unknown command " + cmd);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rtm-bench: %s\n", e.what());
    return 1;
  }
}
