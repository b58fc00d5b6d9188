/*
 * rtmkit — error codes and error reporting.
 *
 * Number ranges of rtm_result_t (values are explicit, never renumbered and never reused; a retired
 * code stays as RTM_ERR_OBSOLETE_<n>):
 *
 *        0          RTM_OK
 *      > 0          the RTM 1.x result code of the operation that was called, unchanged; its family
 *                   depends on the operation (rtm_login_err_t for login, ...; see rtm_op_t).
 *   -1 ..   -999    local errors of this library (enum rtm_err below)
 * -1000 ..  -1999   reserved for server / protocol errors (the wire's 1001.. codes, negated)
 * -2000 ..  -2999   reserved for TLS errors
 *
 * Synchronous failures also leave a human-readable message in rtm_last_error(), which is
 * thread-local.
 */
#ifndef RTMKIT_ERRORS_H
#define RTMKIT_ERRORS_H

#include "types.h"

RTM_BEGIN_DECLS

enum rtm_err {
  RTM_OK = 0,
  RTM_ERR_INVALID_ARG = -1,        /* a NULL handle, a NULL required pointer or an invalid argument */
  RTM_ERR_NO_MEMORY = -2,          /* an allocation failed */
  RTM_ERR_INTERNAL = -3,           /* an unexpected internal failure (a bug): see rtm_last_error() */
  RTM_ERR_INVALID_STATE = -4,      /* not allowed now: destroying a client from its own callback,
                                      polling a client in thread mode, polling from two threads */
  RTM_ERR_BUFFER_TOO_SMALL = -5,   /* the caller's buffer is too small; the size needed is returned */
  RTM_ERR_UNKNOWN_KEY = -6,        /* rtm_conf_set / rtm_server_conf_set: no such key */
  RTM_ERR_INVALID_VALUE = -7,      /* rtm_conf_set / rtm_server_conf_set: the value is not valid */
  RTM_ERR_INCOMPATIBLE = -8,       /* rtm_check_compat: the loaded library does not fit the headers */
  RTM_ERR_TOKEN = -9,              /* a token could not be built from the given input */
  RTM_ERR_SERVER_START = -10,      /* rtm_server_start failed (address in use, bad certificate, ...) */
  RTM_ERR_UNSUPPORTED_VERSION = -11 /* a versioned struct has a version this library does not know */
};

/* A static, human-readable description of `code` (never NULL). For positive codes (operation
 * results) use rtm_op_err2name(), since their meaning depends on the operation. */
RTM_API const char *RTM_CALL rtm_err2str(rtm_result_t code);

/* The static enumerator name of `code`, e.g. "RTM_ERR_INVALID_ARG" (never NULL). */
RTM_API const char *RTM_CALL rtm_err2name(rtm_result_t code);

/* The static enumerator name of an operation's RTM result code, e.g.
 * rtm_op_err2name(RTM_OP_LOGIN, 8) == "RTM_LOGIN_ERR_ALREADY_LOGGED_IN" (never NULL; "?" if unknown). */
RTM_API const char *RTM_CALL rtm_op_err2name(rtm_op_t op, int32_t code);

/* Every rtm_err value this library knows (RTM_OK first), so that bindings can generate their error
 * classes: *codes points to a static array of *count entries. */
RTM_API rtm_result_t RTM_CALL rtm_get_err_codes(const rtm_result_t **codes, size_t *count);

/* Every result code of operation `op`, in the same form. */
RTM_API rtm_result_t RTM_CALL rtm_get_op_err_codes(const int32_t **codes, size_t *count, rtm_op_t op);

/* Names of connection states and change reasons, e.g. "RTM_CONNECTION_STATE_CONNECTED" ("?" if unknown). */
RTM_API const char *RTM_CALL rtm_connection_state_name(rtm_connection_state_t state);
RTM_API const char *RTM_CALL rtm_connection_change_reason_name(rtm_connection_change_reason_t reason);

/* The message of the last failure on the calling thread ("" when the last call succeeded). Every
 * function returning rtm_result_t sets it on failure and clears it on success. The pointer is valid
 * until the next rtm_ call on the same thread; copy it to keep it. */
RTM_API const char *RTM_CALL rtm_last_error(void);

RTM_END_DECLS

#endif /* RTMKIT_ERRORS_H */
