/*
 * rtmkit — handles, result type and the RTM 1.x enumerations.
 *
 * Every enumeration below has explicit values equal to its Agora RTM 1.x counterpart. Values are
 * never renumbered or reused; new ones are only appended.
 */
#ifndef RTMKIT_TYPES_H
#define RTMKIT_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "rtmkit_export.h"

RTM_BEGIN_DECLS

/* The result of every fallible function: RTM_OK (0), a negative rtmkit error (enum rtm_err in
 * <rtmkit/errors.h>), or — for RTM operations — the positive RTM 1.x result code of that operation
 * (e.g. rtm_client_login returns RTM_LOGIN_ERR_ALREADY_LOGGED_IN = 8). */
typedef int32_t rtm_result_t;

/* Opaque handles. Create with rtm_<object>_new*, release with rtm_<object>_destroy (which accepts NULL). */
typedef struct rtm_conf_s rtm_conf_t;                /* client configuration */
typedef struct rtm_client_s rtm_client_t;            /* one RTM client (one user session) */
typedef struct rtm_message_s rtm_message_t;          /* a peer message */
typedef struct rtm_server_conf_s rtm_server_conf_t;  /* embedded server configuration */
typedef struct rtm_server_s rtm_server_t;            /* an embedded rtmd */

/* LOGIN_ERR_CODE: result of rtm_client_login and of the login callbacks. */
typedef enum rtm_login_err {
  RTM_LOGIN_ERR_OK = 0,
  RTM_LOGIN_ERR_UNKNOWN = 1,
  RTM_LOGIN_ERR_REJECTED = 2,
  RTM_LOGIN_ERR_INVALID_ARGUMENT = 3,
  RTM_LOGIN_ERR_INVALID_APP_ID = 4,
  RTM_LOGIN_ERR_INVALID_TOKEN = 5,
  RTM_LOGIN_ERR_TOKEN_EXPIRED = 6,
  RTM_LOGIN_ERR_NOT_AUTHORIZED = 7,
  RTM_LOGIN_ERR_ALREADY_LOGGED_IN = 8,
  RTM_LOGIN_ERR_TIMEOUT = 9,
  RTM_LOGIN_ERR_TOO_OFTEN = 10,
  RTM_LOGIN_ERR_NOT_INITIALIZED = 101
} rtm_login_err_t;

/* LOGOUT_ERR_CODE: result of rtm_client_logout and of the logout callback. */
typedef enum rtm_logout_err {
  RTM_LOGOUT_ERR_OK = 0,
  RTM_LOGOUT_ERR_REJECTED = 1,
  RTM_LOGOUT_ERR_NOT_INITIALIZED = 101,
  RTM_LOGOUT_ERR_USER_NOT_LOGGED_IN = 102
} rtm_logout_err_t;

/* RENEW_TOKEN_ERR_CODE: result of rtm_client_renew_token and of its callback. */
typedef enum rtm_renew_token_err {
  RTM_RENEW_TOKEN_ERR_OK = 0,
  RTM_RENEW_TOKEN_ERR_FAILURE = 1,
  RTM_RENEW_TOKEN_ERR_INVALID_ARGUMENT = 2,
  RTM_RENEW_TOKEN_ERR_REJECTED = 3,
  RTM_RENEW_TOKEN_ERR_TOO_OFTEN = 4,
  RTM_RENEW_TOKEN_ERR_TOKEN_EXPIRED = 5,
  RTM_RENEW_TOKEN_ERR_INVALID_TOKEN = 6,
  RTM_RENEW_TOKEN_ERR_NOT_INITIALIZED = 101,
  RTM_RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN = 102
} rtm_renew_token_err_t;

/* PEER_MESSAGE_ERR_CODE: result of rtm_client_send_message_to_peer and of its callback. */
typedef enum rtm_peer_message_err {
  RTM_PEER_MESSAGE_ERR_OK = 0,
  RTM_PEER_MESSAGE_ERR_FAILURE = 1,
  RTM_PEER_MESSAGE_ERR_SENT_TIMEOUT = 2,
  RTM_PEER_MESSAGE_ERR_PEER_UNREACHABLE = 3,
  RTM_PEER_MESSAGE_ERR_CACHED_BY_SERVER = 4,
  RTM_PEER_MESSAGE_ERR_TOO_OFTEN = 5,
  RTM_PEER_MESSAGE_ERR_INVALID_USERID = 6,
  RTM_PEER_MESSAGE_ERR_INVALID_MESSAGE = 7,
  RTM_PEER_MESSAGE_ERR_IMCOMPATIBLE_MESSAGE = 8, /* Agora's spelling */
  RTM_PEER_MESSAGE_ERR_NOT_INITIALIZED = 101,
  RTM_PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN = 102
} rtm_peer_message_err_t;

/* CONNECTION_STATE */
typedef enum rtm_connection_state {
  RTM_CONNECTION_STATE_DISCONNECTED = 1,
  RTM_CONNECTION_STATE_CONNECTING = 2,
  RTM_CONNECTION_STATE_CONNECTED = 3,
  RTM_CONNECTION_STATE_RECONNECTING = 4,
  RTM_CONNECTION_STATE_ABORTED = 5
} rtm_connection_state_t;

/* CONNECTION_CHANGE_REASON */
typedef enum rtm_connection_change_reason {
  RTM_CONNECTION_CHANGE_REASON_LOGIN = 1,
  RTM_CONNECTION_CHANGE_REASON_LOGIN_SUCCESS = 2,
  RTM_CONNECTION_CHANGE_REASON_LOGIN_FAILURE = 3,
  RTM_CONNECTION_CHANGE_REASON_LOGIN_TIMEOUT = 4,
  RTM_CONNECTION_CHANGE_REASON_INTERRUPTED = 5,
  RTM_CONNECTION_CHANGE_REASON_LOGOUT = 6,
  RTM_CONNECTION_CHANGE_REASON_BANNED_BY_SERVER = 7,
  RTM_CONNECTION_CHANGE_REASON_REMOTE_LOGIN = 8,
  RTM_CONNECTION_CHANGE_REASON_TOKEN_EXPIRED = 9
} rtm_connection_change_reason_t;

/* MESSAGE_TYPE */
typedef enum rtm_message_type {
  RTM_MESSAGE_TYPE_UNDEFINED = 0,
  RTM_MESSAGE_TYPE_TEXT = 1,
  RTM_MESSAGE_TYPE_RAW = 2
} rtm_message_type_t;

/* The RTM operations whose result codes the API returns unchanged; selects the code family in
 * rtm_op_err2name() and rtm_get_op_err_codes(). New operations get new values, appended. */
typedef enum rtm_op {
  RTM_OP_LOGIN = 1,             /* rtm_login_err_t */
  RTM_OP_LOGOUT = 2,            /* rtm_logout_err_t */
  RTM_OP_RENEW_TOKEN = 3,       /* rtm_renew_token_err_t */
  RTM_OP_SEND_PEER_MESSAGE = 4  /* rtm_peer_message_err_t */
} rtm_op_t;

RTM_END_DECLS

#endif /* RTMKIT_TYPES_H */
