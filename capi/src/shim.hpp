// Internal helpers of the C API shims: the thread-local last error, the exception firewall every entry
// point goes through, buffer output, and the per-thread record of the callbacks running on the stack.
// Nothing here is exported (the version script exports rtm_* only, and these live in namespace rtmc).
#pragma once
#include <cstdarg>
#include <cstddef>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>

#include "rtmkit/rtmkit.h"

namespace rtmc {

// ---- last error ---------------------------------------------------------------------------------

void clear_error() noexcept;
void set_error(const char* fmt, ...) noexcept __attribute__((format(printf, 1, 2)));
void set_error_v(const char* fmt, va_list ap) noexcept;
const char* last_error() noexcept;

// Sets the last error and returns `code`.
rtm_result_t fail(rtm_result_t code, const char* fmt, ...) noexcept __attribute__((format(printf, 2, 3)));

inline rtm_result_t ok() noexcept {
  clear_error();
  return RTM_OK;
}

// Runs `f(fn)` (returning rtm_result_t) so that no exception leaves: bad_alloc -> RTM_ERR_NO_MEMORY,
// anything else -> RTM_ERR_INTERNAL, both with a message naming the function.
template <class F>
rtm_result_t guarded(const char* fn, F&& f) noexcept {
  try {
    return f(fn);
  } catch (const std::bad_alloc&) {
    return fail(RTM_ERR_NO_MEMORY, "%s: out of memory", fn);
  } catch (const std::exception& e) {
    return fail(RTM_ERR_INTERNAL, "%s: internal error: %s", fn, e.what());
  } catch (...) {
    return fail(RTM_ERR_INTERNAL, "%s: internal error (unknown exception)", fn);
  }
}

// Same for functions whose failure is a value (NULL, 0, -1...): the value is returned and the last
// error is set.
template <class T, class F>
T guarded_value(const char* fn, T on_error, F&& f) noexcept {
  try {
    return f(fn);
  } catch (const std::bad_alloc&) {
    fail(RTM_ERR_NO_MEMORY, "%s: out of memory", fn);
  } catch (const std::exception& e) {
    fail(RTM_ERR_INTERNAL, "%s: internal error: %s", fn, e.what());
  } catch (...) {
    fail(RTM_ERR_INTERNAL, "%s: internal error (unknown exception)", fn);
  }
  return on_error;
}

// Copies `s` into the caller's buffer under the size protocol of the headers: in, *buf_size is the
// capacity; out, the length plus one. RTM_ERR_BUFFER_TOO_SMALL leaves buf untouched.
rtm_result_t copy_out(const char* fn, char* buf, std::size_t* buf_size, std::string_view s) noexcept;

// A string the library allocates for the caller, released with rtm_free (malloc/free underneath).
char* dup_string(std::string_view s);

// Writes `msg` into errstr (if any), truncated and NUL-terminated.
void write_errstr(char* errstr, std::size_t errstr_size, const char* msg) noexcept;

// Converts a C string argument that may be NULL.
inline std::string_view sv(const char* s) noexcept { return s ? std::string_view(s) : std::string_view(); }

// ---- callbacks on the stack ---------------------------------------------------------------------

// One frame per callback (or poll) of a library object running on this thread, innermost first, so
// that destroying an object from inside its own callback can be detected and refused.
class CallbackScope {
 public:
  explicit CallbackScope(const void* object) noexcept;
  ~CallbackScope();
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;
  // True when a callback (or poll) of `object` runs on this thread, at any depth.
  static bool active(const void* object) noexcept;

 private:
  const void* object_;
  CallbackScope* prev_;
};

// ---- configuration values -----------------------------------------------------------------------

bool parse_bool(const char* v, bool& out) noexcept;
bool parse_u64(const char* v, unsigned long long min, unsigned long long max, unsigned long long& out) noexcept;

}  // namespace rtmc
