// rtmd's operational figures: counters bumped on the service paths (relaxed atomics, no lock), and a
// snapshot taken at scrape time that adds gauges read from the shared state and the process. The
// snapshot is format-neutral; rtmd renders it as Prometheus text (server/prometheus.cpp), and
// tests read it directly.
#pragma once
#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rtm::server {

struct ServerCore;

// A counter per result code of one operation (codes 0..15, 101, 102; anything else counts as other).
class CodeCounter {
 public:
  void add(int code) { slots_[slot(code)].fetch_add(1, std::memory_order_relaxed); }
  uint64_t get(int code) const { return slots_[slot(code)].load(std::memory_order_relaxed); }
  // Every code with a non-zero count; -1 stands for "other".
  std::vector<std::pair<int, uint64_t>> nonzero() const;

 private:
  static constexpr std::size_t kSlots = 19;
  static std::size_t slot(int code) {
    if (code >= 0 && code < 16) return static_cast<std::size_t>(code);
    if (code == 101) return 16;
    if (code == 102) return 17;
    return 18;
  }
  std::array<std::atomic<uint64_t>, kSlots> slots_{};
};

// A latency histogram with fixed buckets (seconds).
class LatencyHistogram {
 public:
  static constexpr std::array<double, 12> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  void observe(double seconds);
  // Cumulative counts per bound (Prometheus "le"), then the total count and sum.
  std::vector<uint64_t> cumulative() const;
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return static_cast<double>(sum_us_.load(std::memory_order_relaxed)) / 1e6; }

 private:
  std::array<std::atomic<uint64_t>, kBounds.size() + 1> buckets_{};  // the last: above every bound
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_us_{0};
};

struct Metrics {
  enum Transport { ws = 0, wss = 1 };
  std::array<std::atomic<uint64_t>, 2> connections_opened{};  // by transport
  std::array<std::atomic<int64_t>, 2> connections_open{};
  std::array<std::atomic<uint64_t>, 2> bytes_received{};
  std::array<std::atomic<uint64_t>, 2> bytes_sent{};
  CodeCounter logins;            // LoginErr
  CodeCounter peer_messages;     // PeerMessageErr: the result each sender got
  CodeCounter channel_messages;  // ChannelMessageErr
  // Messages handed to a receiving connection: peer, channel (each member), offline (from the store).
  std::atomic<uint64_t> deliveries_peer{0}, deliveries_channel{0}, deliveries_offline{0};
  std::atomic<uint64_t> store_writes_ok{0}, store_writes_failed{0};
  LatencyHistogram store_write_seconds;
  std::array<std::atomic<uint64_t>, 16> rate_limited{};  // by rate_limit_names() index
  std::atomic<uint64_t> protocol_errors{0};
  std::atomic<uint64_t> slow_consumers_closed{0};

  static void inc(std::atomic<uint64_t>& c) { c.fetch_add(1, std::memory_order_relaxed); }
};

// One metric family of a snapshot.
struct MetricFamily {
  enum class Type { counter, gauge, histogram };
  struct Sample {
    std::vector<std::pair<std::string, std::string>> labels;
    double value = 0;
    // histogram only: cumulative bucket counts per upper bound, and the sum.
    std::vector<std::pair<double, uint64_t>> buckets;
    double sum = 0;
  };
  std::string name, help;
  Type type = Type::counter;
  std::vector<Sample> samples;
};

// Every figure rtmd publishes, read now. Walks the shared maps for the per-app gauges (O(users +
// channels)), so it is for scrapes, not for the message path.
std::vector<MetricFamily> metrics_snapshot(ServerCore& core);

// The Prometheus text exposition format (version 0.0.4) of `families`.
std::string prometheus_text(const std::vector<MetricFamily>& families);

}  // namespace rtm::server
