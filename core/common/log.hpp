// Minimal leveled logger to stderr (or a sink). Thread-safe; one line per call.
#pragma once
#include <sstream>
#include <string>
#include <string_view>

namespace rtm::log {

enum class Level { trace = 0, debug = 1, info = 2, warn = 3, error = 4, off = 5 };

void set_level(Level level);
// Lines on stderr as text ("2026-01-02T03:04:05.678Z INFO  [server] ...", the default) or as one
// JSON object per line ({"ts":...,"level":"info","component":"server","msg":...}).
void set_json(bool json);
Level level();
bool parse_level(std::string_view text, Level& out);
void write(Level level, std::string_view component, std::string_view message);

// Where lines go instead of stderr (null: back to stderr). The sink is called on whatever thread
// logs, one call at a time, and must not log or call into rtmkit itself.
using Sink = void (*)(Level level, std::string_view component, std::string_view message, void* user_data);
void set_sink(Sink sink, void* user_data);

inline bool enabled(Level l) { return l >= level(); }

}  // namespace rtm::log

// Usage: RTM_LOG(info, "server", "listening on " << port);
#define RTM_LOG(lvl, component, expr)                                   \
  do {                                                                  \
    if (::rtm::log::enabled(::rtm::log::Level::lvl)) {                  \
      std::ostringstream rtm_log_os_;                                   \
      rtm_log_os_ << expr;                                              \
      ::rtm::log::write(::rtm::log::Level::lvl, component, rtm_log_os_.str()); \
    }                                                                   \
  } while (0)
