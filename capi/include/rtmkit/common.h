/*
 * rtmkit — library version, compatibility check, memory and global settings.
 *
 * No global initialisation is needed: every function may be called at any time.
 */
#ifndef RTMKIT_COMMON_H
#define RTMKIT_COMMON_H

#include <rtmkit/rtmkit_version.h>
#include "types.h"

RTM_BEGIN_DECLS

/* The version of the loaded library as RTM_VERSION_NUMBER (0xMMmmpp), as a string ("0.1.0"), and its
 * ABI major (the SOVERSION). Compare with the compile-time macros of <rtmkit/rtmkit_version.h>. */
RTM_API uint32_t RTM_CALL rtm_version(void);
RTM_API const char *RTM_CALL rtm_version_str(void);
RTM_API int32_t RTM_CALL rtm_abi_version(void);

/* RTM_OK when a program compiled against headers of ABI `abi_version` and version `version_number`
 * can use the loaded library: same ABI major and a library at least as new as the headers.
 * Otherwise RTM_ERR_INCOMPATIBLE with the details in rtm_last_error(). Call it through the macro
 * rtm_check_compat(), e.g. once at start-up or when a binding loads the library. */
RTM_API rtm_result_t RTM_CALL rtm_check_compat_impl(int32_t abi_version, uint32_t version_number);
#define rtm_check_compat() rtm_check_compat_impl(RTM_ABI_VERSION, RTM_VERSION_NUMBER)

/* Frees memory the library allocated and handed over (strings from rtm_token_build_*). Accepts NULL.
 * Never release library memory with free(), nor caller memory with rtm_free(). */
RTM_API void RTM_CALL rtm_free(void *ptr);

/* Sets the process-wide log level of the library's diagnostics (written to stderr):
 * "trace", "debug", "info" (the default), "warn", "error" or "off". RTM_ERR_INVALID_VALUE otherwise. */
RTM_API rtm_result_t RTM_CALL rtm_set_log_level(const char *level);

/* Log levels passed to a log callback. */
typedef enum rtm_log_level_t {
  RTM_LOG_TRACE = 0,
  RTM_LOG_DEBUG = 1,
  RTM_LOG_INFO = 2,
  RTM_LOG_WARN = 3,
  RTM_LOG_ERROR = 4
} rtm_log_level_t;

/* Receives each diagnostic line (at or above the log level) instead of stderr. `component` ("client",
 * "server", "capi", ...) and `message` are borrowed for the call. It may run on any library thread,
 * one call at a time, and must not call into the library (not even to log). (0.3) */
typedef void RTM_CALLBACK(rtm_log_cb)(rtm_log_level_t level, const char *component, const char *message,
                                      void *user_data);

/* Sends the library's diagnostics to `cb` (with `user_data`), process-wide; NULL sends them back to
 * stderr. When this returns, the previous callback is no longer running. (0.3) */
RTM_API rtm_result_t RTM_CALL rtm_set_log_callback(rtm_log_cb cb, void *user_data);

RTM_END_DECLS

#endif /* RTMKIT_COMMON_H */
