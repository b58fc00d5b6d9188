/*
 * rtmkit — channels (since 0.2): join, leave, channel messages, members.
 *
 * A channel is created from a client with rtm_client_create_channel() and released with
 * rtm_channel_destroy(), which leaves it if it was joined. Its events run on the client's dispatcher
 * (thread or poll mode, exactly like the client's callbacks), one at a time, in order.
 *
 * The channel callbacks are registered on the client's conf, before rtm_client_new, with
 * rtm_conf_set_channel_<event>_cb(), so that the callbacks never change while the client runs. Each
 * receives the client, the channel it concerns and, last, the conf's user data; the per-channel
 * pointer given to rtm_client_create_channel is read with rtm_channel_user_data(channel) (a binding
 * keeps its channel listener there). Strings, member lists and messages passed to a callback are
 * borrowed until it returns (copy a message with rtm_message_copy).
 */
#ifndef RTMKIT_CHANNEL_H
#define RTMKIT_CHANNEL_H

#include "conf.h"
#include "message.h"
#include "types.h"

RTM_BEGIN_DECLS

/* ---- callbacks --------------------------------------------------------------------------------- */

/* rtm_channel_join succeeded (onJoinSuccess). */
typedef void RTM_CALLBACK(rtm_channel_join_success_cb)(rtm_client_t *client, rtm_channel_t *channel, void *user_data);
/* rtm_channel_join failed (onJoinFailure). */
typedef void RTM_CALLBACK(rtm_channel_join_failure_cb)(rtm_client_t *client, rtm_channel_t *channel,
                                                        rtm_join_channel_err_t code, void *user_data);
/* The outcome of rtm_channel_leave (onLeave). */
typedef void RTM_CALLBACK(rtm_channel_leave_cb)(rtm_client_t *client, rtm_channel_t *channel,
                                                 rtm_leave_channel_err_t code, void *user_data);
/* A channel message from `member_id`; both borrowed (onMessageReceived). */
typedef void RTM_CALLBACK(rtm_channel_message_received_cb)(rtm_client_t *client, rtm_channel_t *channel,
                                                            const char *member_id, const rtm_message_t *message,
                                                            void *user_data);
/* The outcome of the channel message `message_id` (onSendMessageResult of the channel). */
typedef void RTM_CALLBACK(rtm_channel_send_message_result_cb)(rtm_client_t *client, rtm_channel_t *channel,
                                                               int64_t message_id, rtm_channel_message_err_t code,
                                                               void *user_data);
/* `member_id` (borrowed) joined the channel (onMemberJoined). */
typedef void RTM_CALLBACK(rtm_channel_member_joined_cb)(rtm_client_t *client, rtm_channel_t *channel,
                                                         const char *member_id, void *user_data);
/* `member_id` (borrowed) left the channel (onMemberLeft). */
typedef void RTM_CALLBACK(rtm_channel_member_left_cb)(rtm_client_t *client, rtm_channel_t *channel,
                                                       const char *member_id, void *user_data);
/* The outcome of rtm_channel_get_members: `count` user ids (array and strings borrowed) (onGetMembers). */
typedef void RTM_CALLBACK(rtm_channel_get_members_result_cb)(rtm_client_t *client, rtm_channel_t *channel,
                                                              const char *const *member_ids, size_t count,
                                                              rtm_get_members_err_t code, void *user_data);
/* The member count of a joined channel changed (sent periodically by the server; onMemberCountUpdated). */
typedef void RTM_CALLBACK(rtm_channel_member_count_updated_cb)(rtm_client_t *client, rtm_channel_t *channel,
                                                                int count, void *user_data);

/* Setters, on the client's conf: each replaces the callback of its event (NULL unsets it). */
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_join_success_cb(rtm_conf_t *conf, rtm_channel_join_success_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_join_failure_cb(rtm_conf_t *conf, rtm_channel_join_failure_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_leave_cb(rtm_conf_t *conf, rtm_channel_leave_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_message_received_cb(rtm_conf_t *conf,
                                                                        rtm_channel_message_received_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_send_message_result_cb(rtm_conf_t *conf,
                                                                           rtm_channel_send_message_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_member_joined_cb(rtm_conf_t *conf, rtm_channel_member_joined_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_member_left_cb(rtm_conf_t *conf, rtm_channel_member_left_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_get_members_result_cb(rtm_conf_t *conf,
                                                                          rtm_channel_get_members_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_member_count_updated_cb(rtm_conf_t *conf,
                                                                            rtm_channel_member_count_updated_cb cb);

/* ---- lifecycle ----------------------------------------------------------------------------------- */

/* Creates the channel `channel_id` of `client` (it is not joined yet). `channel_user_data` is
 * returned by rtm_channel_user_data (the library never frees it). RTM_ERR_INVALID_ARG for a NULL
 * out/client, an invalid channel id (1..64 printable ASCII bytes, as a user id) or an id that a live
 * channel of this client already has. A channel may be created before login. */
RTM_API rtm_result_t RTM_CALL rtm_client_create_channel(rtm_channel_t **out, rtm_client_t *client,
                                                        const char *channel_id, void *channel_user_data);

/* Releases the channel: leaves it if joined (no channel_leave callback follows) and no callback of
 * it starts after this call. It may be called from any thread, also from a callback of the client
 * (even one of this channel). The handle is invalid afterwards; the same id may be created again
 * (then the library reuses the channel object, and an event of the destroyed channel that was
 * still in flight, such as the outcome of the leave started here, may reach the new one).
 * Channels still alive when the client is destroyed are released by rtm_client_destroy (their
 * handles are then invalid too). Accepts NULL. */
RTM_API rtm_result_t RTM_CALL rtm_channel_destroy(rtm_channel_t *channel);

/* ---- RTM operations (same conventions as the client's: 0 accepted, else the RTM code) ---------- */

/* Joins. Callbacks: channel_join_success or channel_join_failure. Returns rtm_join_channel_err_t. */
RTM_API rtm_result_t RTM_CALL rtm_channel_join(rtm_channel_t *channel);

/* Leaves. Callback: channel_leave. Returns rtm_leave_channel_err_t. */
RTM_API rtm_result_t RTM_CALL rtm_channel_leave(rtm_channel_t *channel);

/* Sends `message` (copied) to the channel's members (not to the sender). `options` may be NULL; its
 * fields are accepted for compatibility. The id goes to *out_message_id (if not NULL) and identifies
 * the channel_send_message_result callback. Returns rtm_channel_message_err_t. */
RTM_API rtm_result_t RTM_CALL rtm_channel_send_message(int64_t *out_message_id, rtm_channel_t *channel,
                                                       const rtm_message_t *message, const rtm_send_options_t *options);

/* Asks for the members. Callback: channel_get_members_result. Returns rtm_get_members_err_t. */
RTM_API rtm_result_t RTM_CALL rtm_channel_get_members(rtm_channel_t *channel);

/* ---- getters ------------------------------------------------------------------------------------ */

/* The channel id (borrowed from the channel; NULL for a NULL channel). */
RTM_API const char *RTM_CALL rtm_channel_id(const rtm_channel_t *channel);

/* The client the channel belongs to (NULL for a NULL channel). */
RTM_API rtm_client_t *RTM_CALL rtm_channel_client(const rtm_channel_t *channel);

/* The channel_user_data given to rtm_client_create_channel (NULL for a NULL channel). */
RTM_API void *RTM_CALL rtm_channel_user_data(const rtm_channel_t *channel);

RTM_END_DECLS

#endif /* RTMKIT_CHANNEL_H */
