/*
 * rtmkit — an embedded rtmd: the complete server in this process, so that C programs and every
 * binding's tests can run against a real server.
 *
 * Server configuration keys (the names of rtmd's JSON configuration, docs/configuration.md):
 *
 *   key                    value                                             default
 *   listen                 comma-separated listeners, replacing the list:
 *                          [ws://|wss://][host:]port (host default 0.0.0.0;
 *                          port 0: an ephemeral port, see rtm_server_port)   "" = ws 127.0.0.1:9600
 *                                                                            (+ wss :9601 with dev)
 *   listen.add             appends one listener
 *   apps                   comma-separated "app_id[:certificate]" entries,
 *                          replacing the list ("" = any app id, no token)    ""
 *   apps.add               appends one "app_id[:certificate]" entry
 *   tls_cert_file          PEM certificate chain for wss listeners            ""
 *   tls_key_file           PEM private key                                    ""
 *   data_dir               SQLite store, generated development certificates  rtmd-data
 *   dev                    true|false: generate a self-signed pair for wss    false
 *   io_threads             I/O threads (0: the number of cores)               0
 *   log_level              trace|debug|info|warn|error|off; when set, applied
 *                          process-wide by rtm_server_start                   (unchanged)
 *   offline_max_per_user   offline messages kept per receiver                 200
 *   offline_ttl_seconds    how long they are kept                             604800
 *   store_sync             true|false: fsync every commit                     true
 *   outbound_queue_bytes   per connection; overflow closes it (4100)          4194304
 *   max_frame_bytes        larger WebSocket messages close with 1009          65536
 *   max_pending_requests   unanswered peer messages per connection            4096
 *   idle_timeout_ms        no traffic for this long: connection is dead       10000
 *   login_timeout_ms       upgrade to login frame                             10000
 *   peer_timeout_ms        peer message without receiver ack: SENT_TIMEOUT    10000
 *   grace_ms               a dropped session keeps channels and presence      30000
 *   recovery_messages      channel messages kept for recovery                 128
 *   recovery_age_ms        ... and how old they may be                        30000
 *   member_count_interval_ms  member count updates at most this often         1000
 *   housekeeping_interval_ms  grace expiry, member counts and invitation
 *                          deadlines are checked this often                   100
 *   member_events_max      no member joined/left events above this size       512
 *   channel_attr_ttl_ms    attributes of an empty channel expire after        300000
 *   invitation_offline_ms  callee offline this long: PEER_OFFLINE             30000
 *   invitation_ack_ms      callee SDK silent this long: PEER_NO_RESPONSE      30000
 *   invitation_expire_ms   no answer this long: INVITATION_EXPIRE             60000
 *   token_warning_ms       token-will-expire warning this long before         30000
 *   rate_limits.<name>.count      at most count operations per window (0: no
 *   rate_limits.<name>.window_ms  limit); <name> is login, renew, messages,
 *                          join, join_same, members, count, query, subscribe,
 *                          user_attr_write, user_attr_read,
 *                          channel_attr_write, channel_attr_read              RTM 1.x limits
 *   rate_limits            "off": disables every rate limit
 *
 * Values are checked again by rtm_server_start (for instance, sizes and timeouts must be positive).
 * Every function is thread-safe. The server runs on its own threads; no application code runs there.
 */
#ifndef RTMKIT_SERVER_H
#define RTMKIT_SERVER_H

#include "types.h"

RTM_BEGIN_DECLS

/* A server configuration with every key at its default. */
RTM_API rtm_result_t RTM_CALL rtm_server_conf_new(rtm_server_conf_t **out);
/* Releases a configuration not handed to rtm_server_new. Accepts NULL. */
RTM_API void RTM_CALL rtm_server_conf_destroy(rtm_server_conf_t *conf);
/* Sets `key` to `value`; errors as for rtm_conf_set. Keys follow rtmd's JSON configuration: a nested
 * JSON key is written with dots ("rate_limits.messages.count"). */
RTM_API rtm_result_t RTM_CALL rtm_server_conf_set(rtm_server_conf_t *conf, const char *key, const char *value,
                                                  char *errstr, size_t errstr_size);
/* Reads `key` as a string; size protocol as for rtm_conf_get. */
RTM_API rtm_result_t RTM_CALL rtm_server_conf_get(char *buf, size_t *buf_size, const rtm_server_conf_t *conf,
                                                  const char *key);

/* Creates a server (not yet started). On success the server owns `conf`; on failure the caller does. */
RTM_API rtm_result_t RTM_CALL rtm_server_new(rtm_server_t **out, rtm_server_conf_t *conf);

/* Opens the store, binds every listener and starts the I/O threads. RTM_ERR_SERVER_START with the
 * reason in rtm_last_error() on failure (address in use, bad certificate, unwritable data_dir); the
 * server is then stopped and may be started again. After rtm_server_stop, starts a fresh server with
 * the same configuration (ephemeral ports are chosen anew). Does nothing if it is running. */
RTM_API rtm_result_t RTM_CALL rtm_server_start(rtm_server_t *server);

/* The bound port of the first ws (tls = 0) or wss (tls != 0) listener; 0 if there is none or the
 * server is not running. */
RTM_API uint16_t RTM_CALL rtm_server_port(const rtm_server_t *server, int tls);

/* Open connections (logged in or not); 0 when not running. */
RTM_API size_t RTM_CALL rtm_server_connection_count(const rtm_server_t *server);

/* Graceful stop: stops accepting, closes every session (1001), flushes the store, joins the threads.
 * Does nothing if it is not running. */
RTM_API rtm_result_t RTM_CALL rtm_server_stop(rtm_server_t *server);

/* Stops (if running) and frees the server. Accepts NULL. */
RTM_API void RTM_CALL rtm_server_destroy(rtm_server_t *server);

RTM_END_DECLS

#endif /* RTMKIT_SERVER_H */
