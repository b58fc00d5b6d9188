/*
 * rtmkit — the RTM client: callbacks, lifecycle, login, peer messages, dispatch.
 *
 * Threading contract (details in docs/c-api.md):
 *  - Every function may be called from any thread; none blocks on the network. rtm_client_destroy
 *    and rtm_client_poll are the only ones that wait.
 *  - The client has one network thread, which never runs application code, and one dispatcher that
 *    runs every callback of the client, one at a time, in the order the events happened:
 *      "callback.dispatch" = "thread" (default): a thread owned by the client ("rtm-dispatch");
 *      "callback.dispatch" = "poll": the application thread calling rtm_client_poll().
 *  - A callback may call any function of its own client except rtm_client_destroy (refused with
 *    RTM_ERR_INVALID_STATE) and rtm_client_poll.
 *  - Strings and messages passed to a callback are borrowed until it returns.
 *
 * Callbacks are registered one by one on the conf, before rtm_client_new, with
 * rtm_conf_set_<event>_cb(). New events are added as new setters; a callback left unset is not called.
 * Every callback receives the client and, last, the conf's user data.
 */
#ifndef RTMKIT_CLIENT_H
#define RTMKIT_CLIENT_H

#include "conf.h"
#include "message.h"
#include "types.h"

RTM_BEGIN_DECLS

/* ---- callbacks --------------------------------------------------------------------------------- */

/* The connection state changed (onConnectionStateChanged). */
typedef void RTM_CALLBACK(rtm_connection_state_changed_cb)(rtm_client_t *client, rtm_connection_state_t state,
                                                            rtm_connection_change_reason_t reason, void *user_data);
/* rtm_client_login succeeded (onLoginSuccess). */
typedef void RTM_CALLBACK(rtm_login_success_cb)(rtm_client_t *client, void *user_data);
/* rtm_client_login failed (onLoginFailure). */
typedef void RTM_CALLBACK(rtm_login_failure_cb)(rtm_client_t *client, rtm_login_err_t code, void *user_data);
/* rtm_client_logout finished (onLogout). */
typedef void RTM_CALLBACK(rtm_logout_cb)(rtm_client_t *client, rtm_logout_err_t code, void *user_data);
/* The outcome of rtm_client_renew_token for `token` (borrowed) (onRenewTokenResult). */
typedef void RTM_CALLBACK(rtm_renew_token_result_cb)(rtm_client_t *client, const char *token,
                                                      rtm_renew_token_err_t code, void *user_data);
/* Reconnecting failed because the token expired: call rtm_client_renew_token (onTokenExpired). */
typedef void RTM_CALLBACK(rtm_token_expired_cb)(rtm_client_t *client, void *user_data);
/* The token expires soon (the server's token_warning_ms, 30 s by default): renew it
 * (onTokenPrivilegeWillExpire). */
typedef void RTM_CALLBACK(rtm_token_privilege_will_expire_cb)(rtm_client_t *client, void *user_data);
/* The outcome of the peer message `message_id` (onSendMessageResult). */
typedef void RTM_CALLBACK(rtm_send_message_result_cb)(rtm_client_t *client, int64_t message_id,
                                                       rtm_peer_message_err_t code, void *user_data);
/* A peer message arrived from `peer_id`; both arguments are borrowed (onMessageReceivedFromPeer). */
typedef void RTM_CALLBACK(rtm_message_received_from_peer_cb)(rtm_client_t *client, const char *peer_id,
                                                              const rtm_message_t *message, void *user_data);
/* Runs first on every thread the library starts that will run callbacks (today: the dispatcher
 * thread of thread mode, named `thread_name`), before any callback on it. For JVM attach, naming,
 * pinning. The network thread never runs application code and is not reported. */
typedef void RTM_CALLBACK(rtm_thread_start_cb)(rtm_client_t *client, const char *thread_name, void *user_data);

/* Setters: each replaces the callback of its event (NULL unsets it). */
RTM_API rtm_result_t RTM_CALL rtm_conf_set_connection_state_changed_cb(rtm_conf_t *conf,
                                                                        rtm_connection_state_changed_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_login_success_cb(rtm_conf_t *conf, rtm_login_success_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_login_failure_cb(rtm_conf_t *conf, rtm_login_failure_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_logout_cb(rtm_conf_t *conf, rtm_logout_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_renew_token_result_cb(rtm_conf_t *conf, rtm_renew_token_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_token_expired_cb(rtm_conf_t *conf, rtm_token_expired_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_token_privilege_will_expire_cb(rtm_conf_t *conf,
                                                                           rtm_token_privilege_will_expire_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_send_message_result_cb(rtm_conf_t *conf, rtm_send_message_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_message_received_from_peer_cb(rtm_conf_t *conf,
                                                                          rtm_message_received_from_peer_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_thread_start_cb(rtm_conf_t *conf, rtm_thread_start_cb cb);

/* ---- lifecycle ----------------------------------------------------------------------------------- */

/* Creates a client from `conf`. On success the client owns the conf (do not touch or destroy it
 * again) and its user data; on failure the caller still owns both. */
RTM_API rtm_result_t RTM_CALL rtm_client_new(rtm_client_t **out, rtm_conf_t *conf);

/* Stops the client: no callback starts after this call began, it waits for a callback in flight
 * (and a rtm_client_poll in progress on another thread, which it wakes up) to return, stops the
 * network thread, drops pending events, calls the user-data destructor once, and frees the client.
 * Accepts NULL. Returns RTM_ERR_INVALID_STATE, and does nothing, when called from inside a callback
 * of this client (or a rtm_client_poll of it) — destroy it from another thread instead. No other
 * call on this handle may run concurrently with or after rtm_client_destroy. */
RTM_API rtm_result_t RTM_CALL rtm_client_destroy(rtm_client_t *client);

/* ---- RTM operations ---------------------------------------------------------------------------
 * Each returns 0 when the request was accepted — its outcome follows as a callback — or, when it was
 * refused at once, the RTM 1.x result code of the operation (no callback follows), or a negative
 * rtm_err for a NULL client. NULL strings count as "". */

/* Logs in as `user_id` with `token` (NULL or "" when the app has no certificate).
 * Callbacks: connection_state_changed(CONNECTING, LOGIN), then login_success and
 * connection_state_changed(CONNECTED, LOGIN_SUCCESS), or login_failure. Returns rtm_login_err_t. */
RTM_API rtm_result_t RTM_CALL rtm_client_login(rtm_client_t *client, const char *token, const char *user_id);

/* Logs out. Callbacks: connection_state_changed(DISCONNECTED, LOGOUT) and logout.
 * Returns rtm_logout_err_t. */
RTM_API rtm_result_t RTM_CALL rtm_client_logout(rtm_client_t *client);

/* Replaces the token (also to recover from token_expired). Callback: renew_token_result.
 * Returns rtm_renew_token_err_t. */
RTM_API rtm_result_t RTM_CALL rtm_client_renew_token(rtm_client_t *client, const char *token);

/* Sends `message` (copied before the call returns) to `peer_id`. `options` may be NULL (defaults).
 * The message id goes to *out_message_id (if not NULL) and identifies the later
 * send_message_result callback. Returns rtm_peer_message_err_t (RTM_ERR_UNSUPPORTED_VERSION for an
 * options struct newer than the library). */
RTM_API rtm_result_t RTM_CALL rtm_client_send_message_to_peer(int64_t *out_message_id, rtm_client_t *client,
                                                              const char *peer_id, const rtm_message_t *message,
                                                              const rtm_send_options_t *options);

/* ---- getters ------------------------------------------------------------------------------------ */

/* The current connection state (0 for a NULL client). */
RTM_API rtm_connection_state_t RTM_CALL rtm_client_state(const rtm_client_t *client);

/* The user id of the last rtm_client_login, copied into buf (same size protocol as rtm_conf_get). */
RTM_API rtm_result_t RTM_CALL rtm_client_user_id(char *buf, size_t *buf_size, const rtm_client_t *client);

/* The user data given to the conf (NULL for a NULL client). */
RTM_API void *RTM_CALL rtm_client_user_data(const rtm_client_t *client);

/* ---- dispatch ------------------------------------------------------------------------------------ */

/* Poll mode: runs the pending callbacks of this client on the calling thread, first waiting up to
 * timeout_ms (negative: without limit, 0: not at all) for one to be pending. Returns how many ran
 * (>= 0), or RTM_ERR_INVALID_STATE in thread mode, inside a callback of this client, or while
 * another thread polls this client. */
RTM_API int RTM_CALL rtm_client_poll(rtm_client_t *client, int timeout_ms);

/* Makes a rtm_client_poll that waits (or the next one) return at once. Any thread. */
RTM_API rtm_result_t RTM_CALL rtm_client_wakeup(rtm_client_t *client);

/* A file descriptor (an eventfd, owned by the client) that becomes readable when callbacks turn
 * pending, for external event loops (epoll, libuv, asyncio add_reader): when it is readable, call
 * rtm_client_poll(client, 0). Do not read or close it. In thread mode the dispatcher drains it. -1
 * for a NULL client. */
RTM_API int RTM_CALL rtm_client_event_fd(const rtm_client_t *client);

RTM_END_DECLS

#endif /* RTMKIT_CLIENT_H */
