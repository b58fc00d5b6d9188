#include "capi/src/shim.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace rtmc {
namespace {
// A fixed buffer: setting the error never allocates, so it cannot fail, and it needs no destructor
// at thread exit.
thread_local char t_error[1024];
// The default (global-dynamic) TLS model on purpose: initial-exec would save a few nanoseconds per
// callback but mark the library STATIC_TLS, which can make dlopen (JNI, .NET, Python) fail.
thread_local CallbackScope* t_scopes = nullptr;
}  // namespace

void clear_error() noexcept {
  if (t_error[0]) t_error[0] = '\0';
}

void set_error_v(const char* fmt, va_list ap) noexcept {
  int n = std::vsnprintf(t_error, sizeof t_error, fmt, ap);
  if (n < 0) std::snprintf(t_error, sizeof t_error, "%s", "(error message could not be formatted)");
}

void set_error(const char* fmt, ...) noexcept {
  va_list ap;
  va_start(ap, fmt);
  set_error_v(fmt, ap);
  va_end(ap);
}

const char* last_error() noexcept { return t_error; }

rtm_result_t fail(rtm_result_t code, const char* fmt, ...) noexcept {
  va_list ap;
  va_start(ap, fmt);
  set_error_v(fmt, ap);
  va_end(ap);
  return code;
}

rtm_result_t copy_out(const char* fn, char* buf, std::size_t* buf_size, std::string_view s) noexcept {
  if (!buf_size) return fail(RTM_ERR_INVALID_ARG, "%s: buf_size is NULL", fn);
  std::size_t need = s.size() + 1;
  std::size_t cap = *buf_size;
  *buf_size = need;
  if (!buf || cap < need)
    return fail(RTM_ERR_BUFFER_TOO_SMALL, "%s: the buffer holds %zu bytes, %zu are needed", fn, buf ? cap : 0, need);
  if (!s.empty()) std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  return ok();
}

char* dup_string(std::string_view s) {
  auto* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (!p) throw std::bad_alloc();
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

void write_errstr(char* errstr, std::size_t errstr_size, const char* msg) noexcept {
  if (!errstr || errstr_size == 0) return;
  std::snprintf(errstr, errstr_size, "%s", msg);
}

CallbackScope::CallbackScope(const void* object) noexcept : object_(object), prev_(t_scopes) { t_scopes = this; }
CallbackScope::~CallbackScope() { t_scopes = prev_; }

bool CallbackScope::active(const void* object) noexcept {
  for (auto* s = t_scopes; s; s = s->prev_)
    if (s->object_ == object) return true;
  return false;
}

bool parse_bool(const char* v, bool& out) noexcept {
  if (!v) return false;
  if (!std::strcmp(v, "true") || !std::strcmp(v, "1")) {
    out = true;
    return true;
  }
  if (!std::strcmp(v, "false") || !std::strcmp(v, "0")) {
    out = false;
    return true;
  }
  return false;
}

bool parse_u64(const char* v, unsigned long long min, unsigned long long max, unsigned long long& out) noexcept {
  if (!v || !*v) return false;
  for (const char* p = v; *p; ++p)
    if (*p < '0' || *p > '9') return false;
  errno = 0;
  char* end = nullptr;
  unsigned long long x = std::strtoull(v, &end, 10);
  if (errno == ERANGE || *end || x < min || x > max) return false;
  out = x;
  return true;
}

}  // namespace rtmc

extern "C" RTM_API const char* RTM_CALL rtm_last_error(void) { return rtmc::last_error(); }
