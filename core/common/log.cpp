#include "core/common/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace rtm::log {
namespace {
std::atomic<Level> g_level{Level::info};
std::mutex g_mutex;
Sink g_sink = nullptr;  // under g_mutex
void* g_sink_data = nullptr;
const char* name(Level l) {
  switch (l) {
    case Level::trace: return "TRACE";
    case Level::debug: return "DEBUG";
    case Level::info: return "INFO";
    case Level::warn: return "WARN";
    case Level::error: return "ERROR";
    default: return "";
  }
}
}  // namespace

void set_level(Level l) { g_level.store(l, std::memory_order_relaxed); }
Level level() { return g_level.load(std::memory_order_relaxed); }

bool parse_level(std::string_view t, Level& out) {
  static const std::pair<std::string_view, Level> table[] = {
      {"trace", Level::trace}, {"debug", Level::debug}, {"info", Level::info},
      {"warn", Level::warn},   {"error", Level::error}, {"off", Level::off}};
  for (auto& [n, l] : table)
    if (t == n) { out = l; return true; }
  return false;
}

void set_sink(Sink sink, void* user_data) {
  std::lock_guard lock(g_mutex);
  g_sink = sink;
  g_sink_data = user_data;
}

void write(Level l, std::string_view component, std::string_view message) {
  {
    std::lock_guard lock(g_mutex);
    if (g_sink) {
      g_sink(l, component, message, g_sink_data);
      return;
    }
  }
  using namespace std::chrono;
  auto now = system_clock::now();
  auto secs = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char ts[32];
  std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
  std::lock_guard lock(g_mutex);
  std::fprintf(stderr, "%s.%03dZ %-5s [%.*s] %.*s\n", ts, static_cast<int>(ms), name(l),
               static_cast<int>(component.size()), component.data(), static_cast<int>(message.size()),
               message.data());
}

}  // namespace rtm::log
