/*
 * rtmkit — client configuration.
 *
 * A rtm_conf_t collects string-keyed settings, the callbacks and the user data of one client; it is
 * handed to rtm_client_new(), which takes it over on success. Adding a setting never changes the ABI.
 *
 * Keys (the names of the fields of the C++ rtm::ClientConfig):
 *
 *   key                        value                                   default
 *   app_id                     the app id, 1..64 visible ASCII bytes   ""  (required to log in)
 *   url                        ws://host[:port][/path] or wss://...    ws://127.0.0.1:9600
 *   ca_file                    PEM bundle trusted for wss (in addition
 *                              to the system roots)                    ""
 *   tls_insecure_skip_verify   true|false (development only)           false
 *   login_timeout_ms           login() until LOGIN_TIMEOUT             6000
 *   request_timeout_ms         a peer message until SENT_TIMEOUT       10000
 *   idle_timeout_ms            silence after which the connection is
 *                              dead (pings at half of it)              6000
 *   connect_timeout_ms         one TCP + TLS + upgrade attempt         5000
 *   reconnect_min_ms           first retry delay (doubles, jittered)   250
 *   reconnect_max_ms           largest retry delay                     8000
 *   max_outbound_bytes         bytes of unanswered requests; beyond,
 *                              sends return TOO_OFTEN                  8388608
 *   max_pending_events         callbacks queued before the socket is
 *                              no longer read                          65536
 *   dedup_window               received (sender, id) pairs remembered  4096
 *   callback.dispatch          thread|poll (alias: dispatch)           thread
 *
 * Booleans are "true"/"false" (or "1"/"0"); integers are decimal. Durations are > 0 and
 * reconnect_min_ms <= reconnect_max_ms is checked by rtm_client_new.
 */
#ifndef RTMKIT_CONF_H
#define RTMKIT_CONF_H

#include "types.h"

RTM_BEGIN_DECLS

/* Destructor of the user data, called exactly once (see rtm_conf_set_user_data). */
typedef void RTM_CALLBACK(rtm_user_data_free_cb)(void *user_data);

/* A configuration with every key at its default and no callbacks. */
RTM_API rtm_result_t RTM_CALL rtm_conf_new(rtm_conf_t **out);

/* Releases a configuration that was not handed to rtm_client_new (or whose rtm_client_new failed).
 * Calls the user-data destructor, if one is set. Accepts NULL. */
RTM_API void RTM_CALL rtm_conf_destroy(rtm_conf_t *conf);

/* Sets `key` to `value` (both copied). RTM_ERR_UNKNOWN_KEY or RTM_ERR_INVALID_VALUE on failure; the
 * reason also goes to `errstr` (if not NULL; truncated to errstr_size, always NUL-terminated) and to
 * rtm_last_error(). */
RTM_API rtm_result_t RTM_CALL rtm_conf_set(rtm_conf_t *conf, const char *key, const char *value, char *errstr,
                                           size_t errstr_size);

/* Reads the value of `key` as a string into buf. In: *buf_size is the capacity of buf (buf may be
 * NULL when it is 0). Out: *buf_size is the length of the value plus one (the NUL). Returns
 * RTM_ERR_BUFFER_TOO_SMALL (buf untouched) when it does not fit. */
RTM_API rtm_result_t RTM_CALL rtm_conf_get(char *buf, size_t *buf_size, const rtm_conf_t *conf, const char *key);

/* The user data passed last to every callback of the client, and its destructor. The library calls
 * free_fn(user_data) exactly once: when the client is destroyed, after its last callback returned
 * (on the thread calling rtm_client_destroy); or from rtm_conf_destroy if the conf never became a
 * client; or at once, when a later call replaces the user data. free_fn may be NULL. */
RTM_API rtm_result_t RTM_CALL rtm_conf_set_user_data(rtm_conf_t *conf, void *user_data, rtm_user_data_free_cb free_fn);

RTM_END_DECLS

#endif /* RTMKIT_CONF_H */
