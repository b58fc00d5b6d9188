#include "core/common/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

namespace rtm::log {
namespace {
std::atomic<Level> g_level{Level::info};
std::atomic<bool> g_json{false};
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
void set_json(bool json) { g_json.store(json, std::memory_order_relaxed); }

namespace {
// A JSON string body: quotes, backslashes and control characters escaped (the message is UTF-8 as
// written by the server; invalid bytes pass through unchanged).
void json_escape(std::string& out, std::string_view s) {
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
}
}  // namespace
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
  if (g_json.load(std::memory_order_relaxed)) {
    std::string line = "{\"ts\":\"";
    line += ts;
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03dZ", static_cast<int>(ms));
    line += frac;
    line += "\",\"level\":\"";
    for (const char* p = name(l); *p; ++p) line += static_cast<char>(*p - 'A' + 'a');
    line += "\",\"component\":\"";
    json_escape(line, component);
    line += "\",\"msg\":\"";
    json_escape(line, message);
    line += "\"}\n";
    std::lock_guard lock(g_mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
    return;
  }
  std::lock_guard lock(g_mutex);
  std::fprintf(stderr, "%s.%03dZ %-5s [%.*s] %.*s\n", ts, static_cast<int>(ms), name(l),
               static_cast<int>(component.size()), component.data(), static_cast<int>(message.size()),
               message.data());
}

}  // namespace rtm::log
