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
typedef struct rtm_channel_s rtm_channel_t;          /* a channel of one client (since 0.2) */
typedef struct rtm_local_invitation_s rtm_local_invitation_t;    /* a call invitation we send (since 0.2) */
typedef struct rtm_remote_invitation_s rtm_remote_invitation_t;  /* a call invitation we received (since 0.2) */

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

/* JOIN_CHANNEL_ERR: result of rtm_channel_join and of the channel_join_failure callback. */
typedef enum rtm_join_channel_err {
  RTM_JOIN_CHANNEL_ERR_OK = 0,
  RTM_JOIN_CHANNEL_ERR_FAILURE = 1,
  RTM_JOIN_CHANNEL_ERR_REJECTED = 2,
  RTM_JOIN_CHANNEL_ERR_INVALID_ARGUMENT = 3,
  RTM_JOIN_CHANNEL_ERR_TIMEOUT = 4,
  RTM_JOIN_CHANNEL_ERR_EXCEED_LIMIT = 5,
  RTM_JOIN_CHANNEL_ERR_ALREADY_JOINED = 6,
  RTM_JOIN_CHANNEL_ERR_TOO_OFTEN = 7,
  RTM_JOIN_CHANNEL_ERR_JOIN_SAME_CHANNEL_TOO_OFTEN = 8,
  RTM_JOIN_CHANNEL_ERR_NOT_INITIALIZED = 101,
  RTM_JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN = 102
} rtm_join_channel_err_t;

/* LEAVE_CHANNEL_ERR: result of rtm_channel_leave and of the channel_leave callback. */
typedef enum rtm_leave_channel_err {
  RTM_LEAVE_CHANNEL_ERR_OK = 0,
  RTM_LEAVE_CHANNEL_ERR_FAILURE = 1,
  RTM_LEAVE_CHANNEL_ERR_REJECTED = 2,
  RTM_LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL = 3,
  RTM_LEAVE_CHANNEL_ERR_NOT_INITIALIZED = 101,
  RTM_LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN = 102
} rtm_leave_channel_err_t;

/* CHANNEL_MESSAGE_ERR_CODE: result of rtm_channel_send_message and of its callback. */
typedef enum rtm_channel_message_err {
  RTM_CHANNEL_MESSAGE_ERR_OK = 0,
  RTM_CHANNEL_MESSAGE_ERR_FAILURE = 1,
  RTM_CHANNEL_MESSAGE_ERR_SENT_TIMEOUT = 2,
  RTM_CHANNEL_MESSAGE_ERR_TOO_OFTEN = 3,
  RTM_CHANNEL_MESSAGE_ERR_INVALID_MESSAGE = 4,
  RTM_CHANNEL_MESSAGE_ERR_NOT_IN_CHANNEL = 5,
  RTM_CHANNEL_MESSAGE_ERR_NOT_INITIALIZED = 101,
  RTM_CHANNEL_MESSAGE_ERR_USER_NOT_LOGGED_IN = 102
} rtm_channel_message_err_t;

/* GET_MEMBERS_ERR: result of rtm_channel_get_members and of its callback. */
typedef enum rtm_get_members_err {
  RTM_GET_MEMBERS_ERR_OK = 0,
  RTM_GET_MEMBERS_ERR_FAILURE = 1,
  RTM_GET_MEMBERS_ERR_REJECTED = 2,
  RTM_GET_MEMBERS_ERR_TIMEOUT = 3,
  RTM_GET_MEMBERS_ERR_TOO_OFTEN = 4,
  RTM_GET_MEMBERS_ERR_NOT_IN_CHANNEL = 5,
  RTM_GET_MEMBERS_ERR_NOT_INITIALIZED = 101,
  RTM_GET_MEMBERS_ERR_USER_NOT_LOGGED_IN = 102
} rtm_get_members_err_t;

/* QUERY_PEERS_ONLINE_STATUS_ERR: result of rtm_client_query_peers_online_status and of its callback. (since 0.2) */
typedef enum rtm_query_peers_online_status_err {
  RTM_QUERY_PEERS_ONLINE_STATUS_ERR_OK = 0,
  RTM_QUERY_PEERS_ONLINE_STATUS_ERR_FAILURE = 1,
  RTM_QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT = 2,
  RTM_QUERY_PEERS_ONLINE_STATUS_ERR_REJECTED = 3,
  RTM_QUERY_PEERS_ONLINE_STATUS_ERR_TIMEOUT = 4,
  RTM_QUERY_PEERS_ONLINE_STATUS_ERR_TOO_OFTEN = 5,
  RTM_QUERY_PEERS_ONLINE_STATUS_ERR_NOT_INITIALIZED = 101,
  RTM_QUERY_PEERS_ONLINE_STATUS_ERR_USER_NOT_LOGGED_IN = 102
} rtm_query_peers_online_status_err_t;

/* PEER_SUBSCRIPTION_STATUS_ERR: result of rtm_client_subscribe/unsubscribe_peers_online_status and of their callback. (since 0.2) */
typedef enum rtm_peer_subscription_status_err {
  RTM_PEER_SUBSCRIPTION_STATUS_ERR_OK = 0,
  RTM_PEER_SUBSCRIPTION_STATUS_ERR_FAILURE = 1,
  RTM_PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT = 2,
  RTM_PEER_SUBSCRIPTION_STATUS_ERR_REJECTED = 3,
  RTM_PEER_SUBSCRIPTION_STATUS_ERR_TIMEOUT = 4,
  RTM_PEER_SUBSCRIPTION_STATUS_ERR_TOO_OFTEN = 5,
  RTM_PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW = 6,
  RTM_PEER_SUBSCRIPTION_STATUS_ERR_NOT_INITIALIZED = 101,
  RTM_PEER_SUBSCRIPTION_STATUS_ERR_USER_NOT_LOGGED_IN = 102
} rtm_peer_subscription_status_err_t;

/* QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR: result of rtm_client_query_peers_by_subscription_option and of its callback. (since 0.2) */
typedef enum rtm_query_peers_by_subscription_option_err {
  RTM_QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_OK = 0,
  RTM_QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE = 1,
  RTM_QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TIMEOUT = 2,
  RTM_QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TOO_OFTEN = 3,
  RTM_QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_NOT_INITIALIZED = 101,
  RTM_QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_USER_NOT_LOGGED_IN = 102
} rtm_query_peers_by_subscription_option_err_t;

/* ATTRIBUTE_OPERATION_ERR: result of every user and channel attribute operation and of their callbacks. (since 0.2) */
typedef enum rtm_attribute_operation_err {
  RTM_ATTRIBUTE_OPERATION_ERR_OK = 0,
  RTM_ATTRIBUTE_OPERATION_ERR_NOT_READY = 1,
  RTM_ATTRIBUTE_OPERATION_ERR_FAILURE = 2,
  RTM_ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT = 3,
  RTM_ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW = 4,
  RTM_ATTRIBUTE_OPERATION_ERR_TOO_OFTEN = 5,
  RTM_ATTRIBUTE_OPERATION_ERR_USER_NOT_FOUND = 6,
  RTM_ATTRIBUTE_OPERATION_ERR_TIMEOUT = 7,
  RTM_ATTRIBUTE_OPERATION_ERR_NOT_INITIALIZED = 101,
  RTM_ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN = 102
} rtm_attribute_operation_err_t;

/* GET_CHANNEL_MEMBER_COUNT_ERR_CODE: result of rtm_client_get_channel_member_count and of its callback. (since 0.2) */
typedef enum rtm_get_channel_member_count_err {
  RTM_GET_CHANNEL_MEMBER_COUNT_ERR_OK = 0,
  RTM_GET_CHANNEL_MEMBER_COUNT_ERR_FAILURE = 1,
  RTM_GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT = 2,
  RTM_GET_CHANNEL_MEMBER_COUNT_ERR_TOO_OFTEN = 3,
  RTM_GET_CHANNEL_MEMBER_COUNT_ERR_TIMEOUT = 4,
  RTM_GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT = 5,
  RTM_GET_CHANNEL_MEMBER_COUNT_ERR_NOT_INITIALIZED = 101,
  RTM_GET_CHANNEL_MEMBER_COUNT_ERR_USER_NOT_LOGGED_IN = 102
} rtm_get_channel_member_count_err_t;

/* PEER_ONLINE_STATE (since 0.2) */
typedef enum rtm_peer_online_state {
  RTM_PEER_ONLINE_STATE_ONLINE = 0,
  RTM_PEER_ONLINE_STATE_UNREACHABLE = 1,
  RTM_PEER_ONLINE_STATE_OFFLINE = 2
} rtm_peer_online_state_t;

/* PEER_SUBSCRIPTION_OPTION (since 0.2) */
typedef enum rtm_peer_subscription_option {
  RTM_PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS = 0
} rtm_peer_subscription_option_t;

/* INVITATION_API_CALL_ERR_CODE: result of rtm_client_send/cancel_local_invitation and rtm_client_accept/refuse_remote_invitation. (since 0.2) */
typedef enum rtm_invitation_api_call_err {
  RTM_INVITATION_API_CALL_ERR_OK = 0,
  RTM_INVITATION_API_CALL_ERR_INVALID_ARGUMENT = 1,
  RTM_INVITATION_API_CALL_ERR_NOT_STARTED = 2,
  RTM_INVITATION_API_CALL_ERR_ALREADY_END = 3,
  RTM_INVITATION_API_CALL_ERR_ALREADY_ACCEPT = 4,
  RTM_INVITATION_API_CALL_ERR_ALREADY_SENT = 5
} rtm_invitation_api_call_err_t;

/* LOCAL_INVITATION_STATE (since 0.2) */
typedef enum rtm_local_invitation_state {
  RTM_LOCAL_INVITATION_STATE_IDLE = 0,
  RTM_LOCAL_INVITATION_STATE_SENT_TO_REMOTE = 1,
  RTM_LOCAL_INVITATION_STATE_RECEIVED_BY_REMOTE = 2,
  RTM_LOCAL_INVITATION_STATE_ACCEPTED_BY_REMOTE = 3,
  RTM_LOCAL_INVITATION_STATE_REFUSED_BY_REMOTE = 4,
  RTM_LOCAL_INVITATION_STATE_CANCELED = 5,
  RTM_LOCAL_INVITATION_STATE_FAILURE = 6
} rtm_local_invitation_state_t;

/* REMOTE_INVITATION_STATE (since 0.2) */
typedef enum rtm_remote_invitation_state {
  RTM_REMOTE_INVITATION_STATE_IDLE = 0,
  RTM_REMOTE_INVITATION_STATE_INVITATION_RECEIVED = 1,
  RTM_REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL = 2,
  RTM_REMOTE_INVITATION_STATE_REFUSED = 3,
  RTM_REMOTE_INVITATION_STATE_ACCEPTED = 4,
  RTM_REMOTE_INVITATION_STATE_CANCELED = 5,
  RTM_REMOTE_INVITATION_STATE_FAILURE = 6
} rtm_remote_invitation_state_t;

/* LOCAL_INVITATION_ERR_CODE: the reason of the local_invitation_failure callback (since 0.2) */
typedef enum rtm_local_invitation_err {
  RTM_LOCAL_INVITATION_ERR_OK = 0,
  RTM_LOCAL_INVITATION_ERR_PEER_OFFLINE = 1,
  RTM_LOCAL_INVITATION_ERR_PEER_NO_RESPONSE = 2,
  RTM_LOCAL_INVITATION_ERR_INVITATION_EXPIRE = 3,
  RTM_LOCAL_INVITATION_ERR_NOT_LOGGEDIN = 4
} rtm_local_invitation_err_t;

/* REMOTE_INVITATION_ERR_CODE: the reason of the remote_invitation_failure callback (since 0.2) */
typedef enum rtm_remote_invitation_err {
  RTM_REMOTE_INVITATION_ERR_OK = 0,
  RTM_REMOTE_INVITATION_ERR_PEER_OFFLINE = 1,
  RTM_REMOTE_INVITATION_ERR_ACCEPT_FAILURE = 2,
  RTM_REMOTE_INVITATION_ERR_INVITATION_EXPIRE = 3
} rtm_remote_invitation_err_t;

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
  RTM_OP_SEND_PEER_MESSAGE = 4, /* rtm_peer_message_err_t */
  RTM_OP_JOIN_CHANNEL = 5,      /* rtm_join_channel_err_t (since 0.2) */
  RTM_OP_LEAVE_CHANNEL = 6,     /* rtm_leave_channel_err_t (since 0.2) */
  RTM_OP_SEND_CHANNEL_MESSAGE = 7, /* rtm_channel_message_err_t (since 0.2) */
  RTM_OP_GET_MEMBERS = 8,       /* rtm_get_members_err_t (since 0.2) */
  RTM_OP_QUERY_PEERS_ONLINE_STATUS = 9, /* rtm_query_peers_online_status_err_t (since 0.2) */
  RTM_OP_PEER_SUBSCRIPTION = 10, /* rtm_peer_subscription_status_err_t (since 0.2) */
  RTM_OP_QUERY_PEERS_BY_SUBSCRIPTION_OPTION = 11, /* rtm_query_peers_by_subscription_option_err_t (since 0.2) */
  RTM_OP_ATTRIBUTE_OPERATION = 12, /* rtm_attribute_operation_err_t (since 0.2) */
  RTM_OP_GET_CHANNEL_MEMBER_COUNT = 13, /* rtm_get_channel_member_count_err_t (since 0.2) */
  RTM_OP_INVITATION_API_CALL = 14 /* rtm_invitation_api_call_err_t (since 0.2) */
} rtm_op_t;

RTM_END_DECLS

#endif /* RTMKIT_TYPES_H */
