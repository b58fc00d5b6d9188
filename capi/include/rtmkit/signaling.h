/*
 * rtmkit — the Signaling compatibility API (the legacy Agora Signaling SDK, on the RTM engine).
 *
 * A legacy program moves to rtmkit by a mechanical rename: IAgoraAPI::messageInstantSend becomes
 * rtm_sig_message_instant_send, ICallBack::onLoginSuccess becomes the callback set with
 * rtm_conf_set_sig_login_success_cb, AGORA_E_CODE values keep their numbers as RTM_SIG_E_*. See
 * docs/migrating-from-signaling.md for the whole table.
 *
 * A rtm_sig_t is one Signal instance of one app id (the conf's "app_id"). It talks to rtmd with the
 * rtm.v1 protocol, so Signaling-API users and RTM-API users of the same app exchange peer messages,
 * see each other in channels and presence, and invite each other.
 *
 * Creation and threading are those of rtm_client_t (docs/c-api.md): rtm_sig_new takes a rtm_conf_t
 * (its settings, user data, thread-start hook (called once on the `rtm-sig` thread, with a NULL
 * client) and the rtm_conf_set_sig_*_cb callbacks below; RTM client callbacks on it are not
 * used); callbacks run on the instance's dispatcher thread, one at a
 * time and in order, or from rtm_sig_poll in poll mode. Every function may be called from any thread,
 * including from inside a callback, except rtm_sig_destroy (refused from a callback of the instance).
 *
 * Results. As in Signaling, outcomes arrive through callbacks carrying AGORA_E_CODE numbers
 * (rtm_sig_ecode_t). A function returns a negative rtm_result_t only for a programming error that
 * produces no callback: a NULL instance or string (RTM_ERR_INVALID_ARG), or a destroyed instance.
 * Legacy `uid` arguments are always 0: the account string is the identity.
 */
#ifndef RTMKIT_SIGNALING_H
#define RTMKIT_SIGNALING_H

#include "conf.h"
#include "types.h"

RTM_BEGIN_DECLS

typedef struct rtm_sig_s rtm_sig_t;

/* AGORA_E_CODE: the legacy error numbers, unchanged. */
typedef enum rtm_sig_ecode_t {
  RTM_SIG_E_SUCCESS = 0,
  RTM_SIG_LOGOUT_E_OTHER = 100,
  RTM_SIG_LOGOUT_E_USER = 101,          /* rtm_sig_logout */
  RTM_SIG_LOGOUT_E_NET = 102,           /* reconnecting outlasted login2's retry time */
  RTM_SIG_LOGOUT_E_KICKED = 103,        /* the same account logged in elsewhere, or banned */
  RTM_SIG_LOGOUT_E_PACKET = 104,
  RTM_SIG_LOGOUT_E_TOKENEXPIRED = 105,
  RTM_SIG_LOGOUT_E_OLDVERSION = 106,
  RTM_SIG_LOGOUT_E_TOKENWRONG = 107,
  RTM_SIG_LOGOUT_E_ALREADY_LOGOUT = 108,
  RTM_SIG_LOGIN_E_OTHER = 200,
  RTM_SIG_LOGIN_E_NET = 201,            /* no answer within the retries of login2 */
  RTM_SIG_LOGIN_E_FAILED = 202,         /* refused: unknown app id, too many logins */
  RTM_SIG_LOGIN_E_CANCEL = 203,         /* logout while logging in */
  RTM_SIG_LOGIN_E_TOKENEXPIRED = 204,
  RTM_SIG_LOGIN_E_OLDVERSION = 205,
  RTM_SIG_LOGIN_E_TOKENWRONG = 206,
  RTM_SIG_LOGIN_E_TOKEN_KICKED = 207,
  RTM_SIG_LOGIN_E_ALREADY_LOGIN = 208,
  RTM_SIG_LOGIN_E_INVALID_USER = 209,   /* the account breaks the id rules */
  RTM_SIG_JOINCHANNEL_E_OTHER = 300,
  RTM_SIG_SENDMESSAGE_E_OTHER = 400,
  RTM_SIG_SENDMESSAGE_E_TIMEOUT = 401,
  RTM_SIG_QUERYUSERNUM_E_OTHER = 500,
  RTM_SIG_QUERYUSERNUM_E_TIMEOUT = 501,
  RTM_SIG_QUERYUSERNUM_E_BYUSER = 502,
  RTM_SIG_LEAVECHANNEL_E_OTHER = 600,
  RTM_SIG_LEAVECHANNEL_E_KICKED = 601,  /* the session was kicked */
  RTM_SIG_LEAVECHANNEL_E_BYUSER = 602,  /* rtm_sig_channel_leave, or a join of another channel */
  RTM_SIG_LEAVECHANNEL_E_LOGOUT = 603,
  RTM_SIG_LEAVECHANNEL_E_DISCONN = 604,
  RTM_SIG_INVITE_E_OTHER = 700,
  RTM_SIG_INVITE_E_REINVITE = 701,      /* a call with this channel and account is already going on */
  RTM_SIG_INVITE_E_NET = 702,           /* not logged in, or the connection failed */
  RTM_SIG_INVITE_E_PEEROFFLINE = 703,
  RTM_SIG_INVITE_E_TIMEOUT = 704,       /* no answer in time (_timeout, or the server's limits) */
  RTM_SIG_INVITE_E_CANTRECV = 705,
  RTM_SIG_GENERAL_E = 1000,
  RTM_SIG_GENERAL_E_FAILED = 1001,
  RTM_SIG_GENERAL_E_UNKNOWN = 1002,     /* invoke: unknown command */
  RTM_SIG_GENERAL_E_NOT_LOGIN = 1003,
  RTM_SIG_GENERAL_E_WRONG_PARAM = 1004, /* a malformed argument (id rules, JSON, DTMF digits) */
  RTM_SIG_GENERAL_E_LARGE_PARAM = 1005  /* an argument over its size limit */
} rtm_sig_ecode_t;

/* getStatus values. */
typedef enum rtm_sig_status_t {
  RTM_SIG_STATUS_NOT_LOGGED_IN = 0,
  RTM_SIG_STATUS_LOGGING_IN = 1,
  RTM_SIG_STATUS_LOGGED_IN = 2,
  RTM_SIG_STATUS_RECONNECTING = 3
} rtm_sig_status_t;

/* The name of a legacy error number ("LOGIN_E_TOKENWRONG"), or "UNKNOWN". Static storage. */
RTM_API const char *RTM_CALL rtm_sig_ecode_name(int ecode);

/* ---- lifecycle ---------------------------------------------------------------------------------- */

/* Creates a Signal instance for the conf's app_id; takes the conf over on success (as rtm_client_new). */
RTM_API rtm_result_t RTM_CALL rtm_sig_new(rtm_sig_t **out, rtm_conf_t *conf);
/* Logs out if needed, stops the threads, then calls the user-data destructor. Accepts NULL.
 * Refused (RTM_ERR_INVALID_STATE) from a callback of this instance. */
RTM_API rtm_result_t RTM_CALL rtm_sig_destroy(rtm_sig_t *sig);
RTM_API void *RTM_CALL rtm_sig_user_data(const rtm_sig_t *sig);
/* Poll mode: runs pending callbacks (and due timers) on the calling thread, waiting up to timeout_ms
 * (-1: forever) for the first; returns how many ran, or a negative rtm_result_t. */
RTM_API int RTM_CALL rtm_sig_poll(rtm_sig_t *sig, int timeout_ms);
RTM_API void RTM_CALL rtm_sig_wakeup(rtm_sig_t *sig);
/* Readable while callbacks are pending (poll mode). */
RTM_API int RTM_CALL rtm_sig_event_fd(const rtm_sig_t *sig);

/* ---- session ------------------------------------------------------------------------------------ */

/* login(appId, account, token, uid = 0, deviceId): token is a Signaling token
 * ("1:appId:expiredTs:md5", see rtm_token_build_signaling), an RTM 006/007 token, or
 * "_no_need_token" for an app without certificate. Same as login2 with 30 s and 3 attempts. Ignored
 * while logged in or logging in. Outcome: login_success or login_failed. */
RTM_API rtm_result_t RTM_CALL rtm_sig_login(rtm_sig_t *sig, const char *account, const char *token);
/* login2: retries a login that failed for a network reason up to retry_count attempts within
 * retry_time_s seconds (values <= 0: the defaults 30 s and 3); the same limit of time ends a
 * reconnection (logout with RTM_SIG_LOGOUT_E_NET). */
RTM_API rtm_result_t RTM_CALL rtm_sig_login2(rtm_sig_t *sig, const char *account, const char *token,
                                             int retry_time_s, int retry_count);
/* Outcome: logout(RTM_SIG_LOGOUT_E_USER), preceded by channel_leaved(LEAVECHANNEL_E_LOGOUT) if in a
 * channel; login_failed(LOGIN_E_CANCEL) while logging in. */
RTM_API rtm_result_t RTM_CALL rtm_sig_logout(rtm_sig_t *sig);
/* getStatus: a rtm_sig_status_t (0 when sig is NULL). */
RTM_API int RTM_CALL rtm_sig_get_status(const rtm_sig_t *sig);
/* The account of the session (borrowed until the next login; "" before the first). */
RTM_API const char *RTM_CALL rtm_sig_account(const rtm_sig_t *sig);

/* ---- messages ----------------------------------------------------------------------------------- */

/* messageInstantSend(account, uid, msg, msgID): a text peer message (<= 32 KB). msg_id may be "" or
 * NULL: one is assigned. message_send_success when rtmd has it (delivered, or stored for an offline
 * peer), else message_send_error with SENDMESSAGE_E_*, GENERAL_E_NOT_LOGIN, WRONG_PARAM or
 * LARGE_PARAM. */
RTM_API rtm_result_t RTM_CALL rtm_sig_message_instant_send(rtm_sig_t *sig, const char *account, const char *msg,
                                                           const char *msg_id);
/* messageChannelSend(channelID, msg, msgID): to the joined channel; the sender gets its own message
 * back through message_channel_receive, as Signaling did. */
RTM_API rtm_result_t RTM_CALL rtm_sig_message_channel_send(rtm_sig_t *sig, const char *channel, const char *msg,
                                                           const char *msg_id);

/* ---- channels (one at a time) ------------------------------------------------------------------- */

/* channelJoin: joins `channel`, leaving the current one first (channel_leaved with
 * LEAVECHANNEL_E_BYUSER). On success: channel_joined, then channel_user_list (the <= 200 members
 * who joined last), then channel_attr_updated("update") once per existing attribute. */
RTM_API rtm_result_t RTM_CALL rtm_sig_channel_join(rtm_sig_t *sig, const char *channel);
RTM_API rtm_result_t RTM_CALL rtm_sig_channel_leave(rtm_sig_t *sig, const char *channel);
/* Channel attributes (any channel; members are notified with channel_attr_updated, type "update",
 * "del" or "clear"). Failures: error("channelSetAttr", ecode, description). */
RTM_API rtm_result_t RTM_CALL rtm_sig_channel_set_attr(rtm_sig_t *sig, const char *channel, const char *name,
                                                       const char *value);
RTM_API rtm_result_t RTM_CALL rtm_sig_channel_del_attr(rtm_sig_t *sig, const char *channel, const char *name);
RTM_API rtm_result_t RTM_CALL rtm_sig_channel_clear_attr(rtm_sig_t *sig, const char *channel);
/* channelQueryUserNum -> channel_query_user_num_result; channelQueryUserIsIn -> channel_query_user_is_in. */
RTM_API rtm_result_t RTM_CALL rtm_sig_channel_query_user_num(rtm_sig_t *sig, const char *channel);
RTM_API rtm_result_t RTM_CALL rtm_sig_channel_query_user_is_in(rtm_sig_t *sig, const char *channel,
                                                               const char *account);

/* ---- calls -------------------------------------------------------------------------------------- */

/* channelInviteUser2(channelID, account, extra): `extra` is "" or a JSON object (<= 8 KB).
 * "_require_peer_online": 1 fails at once (INVITE_E_PEEROFFLINE) when the callee is offline;
 * "_timeout": 0..30 ends an unanswered call after that many seconds (INVITE_E_TIMEOUT; 0: none). Keys not
 * starting with '_' reach the callee as its invite_received `extra` (an RTM callee reads them as the
 * invitation's content; `channel` is its channelId). A call is named by (channel, account). */
RTM_API rtm_result_t RTM_CALL rtm_sig_channel_invite_user2(rtm_sig_t *sig, const char *channel, const char *account,
                                                           const char *extra);
RTM_API rtm_result_t RTM_CALL rtm_sig_channel_invite_user(rtm_sig_t *sig, const char *channel, const char *account);
/* The callee answers; `extra` (may be NULL) reaches the caller (an RTM caller: the response). */
RTM_API rtm_result_t RTM_CALL rtm_sig_channel_invite_accept(rtm_sig_t *sig, const char *channel, const char *account,
                                                            const char *extra);
RTM_API rtm_result_t RTM_CALL rtm_sig_channel_invite_refuse(rtm_sig_t *sig, const char *channel, const char *account,
                                                            const char *extra);
/* channelInviteEnd: ends the call at any stage: an unanswered outgoing call is canceled, an
 * unanswered incoming one refused, an established one hung up (the peer gets invite_end_by_peer; an
 * RTM peer gets the text message "AgoraRTMLegacyEndcallCompatibleMessagePrefix_<channel>_end").
 * Then invite_end_by_myself. */
RTM_API rtm_result_t RTM_CALL rtm_sig_channel_invite_end(rtm_sig_t *sig, const char *channel, const char *account);
/* channelInviteDTMF: digits 0-9, '*', '#' (<= 256); the peer gets invite_msg(type "dtmf"). */
RTM_API rtm_result_t RTM_CALL rtm_sig_channel_invite_dtmf(rtm_sig_t *sig, const char *channel, const char *account,
                                                          const char *dtmf);

/* ---- users -------------------------------------------------------------------------------------- */

/* queryUserStatus -> query_user_status_result(account, "1" online / "0" offline). */
RTM_API rtm_result_t RTM_CALL rtm_sig_query_user_status(rtm_sig_t *sig, const char *account);
/* setAttr(name, value) of the local user (value "" deletes it); failures: error("setAttr", ...). */
RTM_API rtm_result_t RTM_CALL rtm_sig_set_attr(rtm_sig_t *sig, const char *name, const char *value);
/* getAttr / getAttrAll (local user), getUserAttr / getUserAttrAll (any user) -> user_attr_result,
 * user_attr_all_result (a JSON object of every attribute). */
RTM_API rtm_result_t RTM_CALL rtm_sig_get_attr(rtm_sig_t *sig, const char *name);
RTM_API rtm_result_t RTM_CALL rtm_sig_get_attr_all(rtm_sig_t *sig);
RTM_API rtm_result_t RTM_CALL rtm_sig_get_user_attr(rtm_sig_t *sig, const char *account, const char *name);
RTM_API rtm_result_t RTM_CALL rtm_sig_get_user_attr_all(rtm_sig_t *sig, const char *account);

/* invoke(name, reqJson, callID): "io.agora.signal.<command>" with a JSON request; answered by
 * invoke_ret(call_id, err, resp_json). Commands and answers:
 *   user_query_user_status  {"account"}                 {"status": 1|0}
 *   user_set_attr           {"name","value"}            {}
 *   user_get_attr           {"account","name"}          {"value": "..."}
 *   user_get_attr_all       {"account"}                 {"json": "<JSON object of the attributes>"}
 *   channel_query_num       {"name"}                    {"num": n}
 *   channel_query_user_isin {"name","account"}          {"isin": 1|0}
 *   channel_query_userlist  {"name"}                    {"num": total, "list": [[account, 0], ...]} (<= 200, newest first)
 *   channel_set_attr        {"channel","name","value"}  {}
 *   channel_del_attr        {"channel","name"}          {}
 *   channel_clear_attr      {"channel"}                 {}
 * err is 0, GENERAL_E_UNKNOWN (unknown command), GENERAL_E_WRONG_PARAM (bad JSON or field),
 * GENERAL_E_NOT_LOGIN or GENERAL_E_FAILED; resp is "{}" on failure. */
RTM_API rtm_result_t RTM_CALL rtm_sig_invoke(rtm_sig_t *sig, const char *name, const char *req_json,
                                             const char *call_id);

/* ---- callbacks (ICallBack), set on the conf before rtm_sig_new ---------------------------------- */

typedef void RTM_CALLBACK(rtm_sig_login_success_cb)(rtm_sig_t *sig, uint32_t uid, int fd, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_ecode_cb)(rtm_sig_t *sig, int ecode, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_reconnecting_cb)(rtm_sig_t *sig, uint32_t nretry, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_reconnected_cb)(rtm_sig_t *sig, int fd, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_channel_cb)(rtm_sig_t *sig, const char *channel, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_channel_ecode_cb)(rtm_sig_t *sig, const char *channel, int ecode, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_channel_user_cb)(rtm_sig_t *sig, const char *account, uint32_t uid,
                                                   void *user_data);
typedef void RTM_CALLBACK(rtm_sig_channel_user_list_cb)(rtm_sig_t *sig, size_t count, const char *const *accounts,
                                                        const uint32_t *uids, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_channel_attr_updated_cb)(rtm_sig_t *sig, const char *channel, const char *name,
                                                           const char *value, const char *type, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_channel_query_user_num_result_cb)(rtm_sig_t *sig, const char *channel, int ecode,
                                                                    int num, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_channel_query_user_is_in_cb)(rtm_sig_t *sig, const char *channel,
                                                               const char *account, int is_in, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_message_instant_receive_cb)(rtm_sig_t *sig, const char *account, uint32_t uid,
                                                              const char *msg, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_message_channel_receive_cb)(rtm_sig_t *sig, const char *channel,
                                                              const char *account, uint32_t uid, const char *msg,
                                                              void *user_data);
typedef void RTM_CALLBACK(rtm_sig_message_send_success_cb)(rtm_sig_t *sig, const char *message_id, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_message_send_error_cb)(rtm_sig_t *sig, const char *message_id, int ecode,
                                                         void *user_data);
/* invite_received, invite_accepted_by_peer, invite_refused_by_peer, invite_end_by_peer. */
typedef void RTM_CALLBACK(rtm_sig_invite_extra_cb)(rtm_sig_t *sig, const char *channel, const char *account,
                                                   uint32_t uid, const char *extra, void *user_data);
/* invite_received_by_peer, invite_end_by_myself. */
typedef void RTM_CALLBACK(rtm_sig_invite_cb)(rtm_sig_t *sig, const char *channel, const char *account, uint32_t uid,
                                             void *user_data);
typedef void RTM_CALLBACK(rtm_sig_invite_failed_cb)(rtm_sig_t *sig, const char *channel, const char *account,
                                                    uint32_t uid, int ecode, const char *extra, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_invite_msg_cb)(rtm_sig_t *sig, const char *channel, const char *account,
                                                 uint32_t uid, const char *msg_type, const char *msg_data,
                                                 const char *extra, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_invoke_ret_cb)(rtm_sig_t *sig, const char *call_id, int err, const char *resp,
                                                 void *user_data);
typedef void RTM_CALLBACK(rtm_sig_query_user_status_result_cb)(rtm_sig_t *sig, const char *account,
                                                               const char *status, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_user_attr_result_cb)(rtm_sig_t *sig, const char *account, const char *name,
                                                       const char *value, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_user_attr_all_result_cb)(rtm_sig_t *sig, const char *account,
                                                           const char *value_json, void *user_data);
typedef void RTM_CALLBACK(rtm_sig_error_cb)(rtm_sig_t *sig, const char *name, int ecode, const char *desc,
                                            void *user_data);

/* One setter per ICallBack event; NULL unsets. Each returns RTM_ERR_INVALID_ARG for a NULL conf. */
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_login_success_cb(rtm_conf_t *conf, rtm_sig_login_success_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_login_failed_cb(rtm_conf_t *conf, rtm_sig_ecode_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_logout_cb(rtm_conf_t *conf, rtm_sig_ecode_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_reconnecting_cb(rtm_conf_t *conf, rtm_sig_reconnecting_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_reconnected_cb(rtm_conf_t *conf, rtm_sig_reconnected_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_channel_joined_cb(rtm_conf_t *conf, rtm_sig_channel_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_channel_join_failed_cb(rtm_conf_t *conf, rtm_sig_channel_ecode_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_channel_leaved_cb(rtm_conf_t *conf, rtm_sig_channel_ecode_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_channel_user_joined_cb(rtm_conf_t *conf, rtm_sig_channel_user_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_channel_user_leaved_cb(rtm_conf_t *conf, rtm_sig_channel_user_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_channel_user_list_cb(rtm_conf_t *conf, rtm_sig_channel_user_list_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_channel_attr_updated_cb(rtm_conf_t *conf,
                                                                       rtm_sig_channel_attr_updated_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_channel_query_user_num_result_cb(
    rtm_conf_t *conf, rtm_sig_channel_query_user_num_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_channel_query_user_is_in_cb(rtm_conf_t *conf,
                                                                           rtm_sig_channel_query_user_is_in_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_message_instant_receive_cb(rtm_conf_t *conf,
                                                                          rtm_sig_message_instant_receive_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_message_channel_receive_cb(rtm_conf_t *conf,
                                                                          rtm_sig_message_channel_receive_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_message_send_success_cb(rtm_conf_t *conf,
                                                                       rtm_sig_message_send_success_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_message_send_error_cb(rtm_conf_t *conf, rtm_sig_message_send_error_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_invite_received_cb(rtm_conf_t *conf, rtm_sig_invite_extra_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_invite_received_by_peer_cb(rtm_conf_t *conf, rtm_sig_invite_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_invite_accepted_by_peer_cb(rtm_conf_t *conf, rtm_sig_invite_extra_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_invite_refused_by_peer_cb(rtm_conf_t *conf, rtm_sig_invite_extra_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_invite_failed_cb(rtm_conf_t *conf, rtm_sig_invite_failed_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_invite_end_by_peer_cb(rtm_conf_t *conf, rtm_sig_invite_extra_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_invite_end_by_myself_cb(rtm_conf_t *conf, rtm_sig_invite_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_invite_msg_cb(rtm_conf_t *conf, rtm_sig_invite_msg_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_invoke_ret_cb(rtm_conf_t *conf, rtm_sig_invoke_ret_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_query_user_status_result_cb(rtm_conf_t *conf,
                                                                           rtm_sig_query_user_status_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_user_attr_result_cb(rtm_conf_t *conf, rtm_sig_user_attr_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_user_attr_all_result_cb(rtm_conf_t *conf,
                                                                       rtm_sig_user_attr_all_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_error_cb(rtm_conf_t *conf, rtm_sig_error_cb cb);

/* ---- legacy tokens ------------------------------------------------------------------------------ */

/* "1:" + app_id + ":" + expired_ts + ":" + md5_hex(account + app_id + app_certificate + expired_ts),
 * expired_ts an absolute unix time in seconds. Size protocol of rtm_conf_get: in, *buf_size is the
 * capacity; out, the length plus one (RTM_ERR_BUFFER_TOO_SMALL leaves buf untouched). */
RTM_API rtm_result_t RTM_CALL rtm_token_build_signaling(char *buf, size_t *buf_size, const char *app_id,
                                                        const char *app_certificate, const char *account,
                                                        uint32_t expired_ts);

RTM_END_DECLS

#endif /* RTMKIT_SIGNALING_H */
