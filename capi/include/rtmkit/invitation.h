/*
 * rtmkit — call invitations (since 0.2).
 *
 * The caller creates a rtm_local_invitation_t for a callee, sets its content and channel id, and sends
 * it with rtm_client_send_local_invitation; the callee receives a rtm_remote_invitation_t in the
 * remote_invitation_received callback, sets a response and accepts or refuses it. Either side may see
 * it canceled or failed.
 *
 * Handles: an invitation is shared between the application and the client. rtm_client_create_local_
 * invitation returns a handle the application owns (rtm_local_invitation_destroy). The handles passed
 * to the invitation callbacks are borrowed for the duration of the callback: call any function on
 * them there (accept, refuse, cancel, getters), or keep the invitation with rtm_*_invitation_copy,
 * which returns a new owned handle to the same invitation (its state follows the events). Two handles
 * of one invitation have the same rtm_*_invitation_id. Destroying a handle never cancels anything.
 *
 * Strings that cannot change (ids, the remote content and channel id) are returned borrowed from the
 * handle; strings that can (content, channel id and response of a local invitation, the response of a
 * remote one) are copied into the caller's buffer (size protocol of rtm_conf_get).
 */
#ifndef RTMKIT_INVITATION_H
#define RTMKIT_INVITATION_H

#include "conf.h"
#include "types.h"

RTM_BEGIN_DECLS

/* ---- callbacks (registered on the conf; every handle argument is borrowed) ---------------------- */

/* The callee's client has the invitation (onLocalInvitationReceivedByPeer). */
typedef void RTM_CALLBACK(rtm_local_invitation_received_by_peer_cb)(rtm_client_t *client,
                                                                     rtm_local_invitation_t *invitation, void *user_data);
/* The callee accepted, with its response (borrowed) (onLocalInvitationAccepted). */
typedef void RTM_CALLBACK(rtm_local_invitation_accepted_cb)(rtm_client_t *client, rtm_local_invitation_t *invitation,
                                                             const char *response, void *user_data);
/* The callee refused, with its response (borrowed) (onLocalInvitationRefused). */
typedef void RTM_CALLBACK(rtm_local_invitation_refused_cb)(rtm_client_t *client, rtm_local_invitation_t *invitation,
                                                            const char *response, void *user_data);
/* rtm_client_cancel_local_invitation succeeded (onLocalInvitationCanceled). */
typedef void RTM_CALLBACK(rtm_local_invitation_canceled_cb)(rtm_client_t *client, rtm_local_invitation_t *invitation,
                                                             void *user_data);
/* The invitation failed (onLocalInvitationFailure). */
typedef void RTM_CALLBACK(rtm_local_invitation_failure_cb)(rtm_client_t *client, rtm_local_invitation_t *invitation,
                                                            rtm_local_invitation_err_t code, void *user_data);
/* An invitation arrived (onRemoteInvitationReceived). Copy it to answer after the callback. */
typedef void RTM_CALLBACK(rtm_remote_invitation_received_cb)(rtm_client_t *client, rtm_remote_invitation_t *invitation,
                                                              void *user_data);
/* Our accept reached the caller (onRemoteInvitationAccepted). */
typedef void RTM_CALLBACK(rtm_remote_invitation_accepted_cb)(rtm_client_t *client, rtm_remote_invitation_t *invitation,
                                                              void *user_data);
/* Our refusal was sent (onRemoteInvitationRefused). */
typedef void RTM_CALLBACK(rtm_remote_invitation_refused_cb)(rtm_client_t *client, rtm_remote_invitation_t *invitation,
                                                             void *user_data);
/* The caller canceled (onRemoteInvitationCanceled). */
typedef void RTM_CALLBACK(rtm_remote_invitation_canceled_cb)(rtm_client_t *client, rtm_remote_invitation_t *invitation,
                                                              void *user_data);
/* The invitation failed (onRemoteInvitationFailure). */
typedef void RTM_CALLBACK(rtm_remote_invitation_failure_cb)(rtm_client_t *client, rtm_remote_invitation_t *invitation,
                                                             rtm_remote_invitation_err_t code, void *user_data);

RTM_API rtm_result_t RTM_CALL rtm_conf_set_local_invitation_received_by_peer_cb(
    rtm_conf_t *conf, rtm_local_invitation_received_by_peer_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_local_invitation_accepted_cb(rtm_conf_t *conf,
                                                                         rtm_local_invitation_accepted_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_local_invitation_refused_cb(rtm_conf_t *conf,
                                                                        rtm_local_invitation_refused_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_local_invitation_canceled_cb(rtm_conf_t *conf,
                                                                         rtm_local_invitation_canceled_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_local_invitation_failure_cb(rtm_conf_t *conf,
                                                                        rtm_local_invitation_failure_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_remote_invitation_received_cb(rtm_conf_t *conf,
                                                                          rtm_remote_invitation_received_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_remote_invitation_accepted_cb(rtm_conf_t *conf,
                                                                          rtm_remote_invitation_accepted_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_remote_invitation_refused_cb(rtm_conf_t *conf,
                                                                         rtm_remote_invitation_refused_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_remote_invitation_canceled_cb(rtm_conf_t *conf,
                                                                          rtm_remote_invitation_canceled_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_remote_invitation_failure_cb(rtm_conf_t *conf,
                                                                         rtm_remote_invitation_failure_cb cb);

/* ---- the caller's side -------------------------------------------------------------------------- */

/* A new invitation to `callee_id` (state IDLE). RTM_ERR_INVALID_ARG for a NULL out/client or an
 * invalid callee id. */
RTM_API rtm_result_t RTM_CALL rtm_client_create_local_invitation(rtm_local_invitation_t **out, rtm_client_t *client,
                                                                 const char *callee_id);
/* A new owned handle to the same invitation. */
RTM_API rtm_result_t RTM_CALL rtm_local_invitation_copy(rtm_local_invitation_t **out,
                                                        const rtm_local_invitation_t *invitation);
/* Releases a handle (created or copied). Accepts NULL. Never call it on a borrowed handle. */
RTM_API void RTM_CALL rtm_local_invitation_destroy(rtm_local_invitation_t *invitation);
/* Content and channel id (copied), before sending. */
RTM_API rtm_result_t RTM_CALL rtm_local_invitation_set_content(rtm_local_invitation_t *invitation, const char *content);
RTM_API rtm_result_t RTM_CALL rtm_local_invitation_set_channel_id(rtm_local_invitation_t *invitation,
                                                                  const char *channel_id);
/* Getters. callee_id is borrowed from the handle (NULL for NULL); id is 0 and state 0 for NULL. */
RTM_API const char *RTM_CALL rtm_local_invitation_callee_id(const rtm_local_invitation_t *invitation);
RTM_API int64_t RTM_CALL rtm_local_invitation_id(const rtm_local_invitation_t *invitation);
RTM_API rtm_local_invitation_state_t RTM_CALL rtm_local_invitation_state(const rtm_local_invitation_t *invitation);
RTM_API rtm_result_t RTM_CALL rtm_local_invitation_content(char *buf, size_t *buf_size,
                                                           const rtm_local_invitation_t *invitation);
RTM_API rtm_result_t RTM_CALL rtm_local_invitation_channel_id(char *buf, size_t *buf_size,
                                                              const rtm_local_invitation_t *invitation);
/* The callee's response, once accepted or refused. */
RTM_API rtm_result_t RTM_CALL rtm_local_invitation_response(char *buf, size_t *buf_size,
                                                            const rtm_local_invitation_t *invitation);

/* Sends the invitation. Callbacks: local_invitation_received_by_peer, then accepted / refused /
 * failure. Returns rtm_invitation_api_call_err_t (RTM_ERR_INVALID_ARG for a NULL client). */
RTM_API rtm_result_t RTM_CALL rtm_client_send_local_invitation(rtm_client_t *client,
                                                               rtm_local_invitation_t *invitation);
/* Cancels a sent invitation. Callback: local_invitation_canceled. Returns rtm_invitation_api_call_err_t. */
RTM_API rtm_result_t RTM_CALL rtm_client_cancel_local_invitation(rtm_client_t *client,
                                                                 rtm_local_invitation_t *invitation);

/* ---- the callee's side -------------------------------------------------------------------------- */

/* A new owned handle to the same invitation (to answer it after the callback). */
RTM_API rtm_result_t RTM_CALL rtm_remote_invitation_copy(rtm_remote_invitation_t **out,
                                                         const rtm_remote_invitation_t *invitation);
/* Releases a copied handle. Accepts NULL. Never call it on a borrowed handle. */
RTM_API void RTM_CALL rtm_remote_invitation_destroy(rtm_remote_invitation_t *invitation);
/* Getters; the strings are borrowed from the handle (NULL for NULL). */
RTM_API const char *RTM_CALL rtm_remote_invitation_caller_id(const rtm_remote_invitation_t *invitation);
RTM_API const char *RTM_CALL rtm_remote_invitation_content(const rtm_remote_invitation_t *invitation);
RTM_API const char *RTM_CALL rtm_remote_invitation_channel_id(const rtm_remote_invitation_t *invitation);
RTM_API int64_t RTM_CALL rtm_remote_invitation_id(const rtm_remote_invitation_t *invitation);
RTM_API rtm_remote_invitation_state_t RTM_CALL rtm_remote_invitation_state(const rtm_remote_invitation_t *invitation);
/* The response sent with accept or refuse (copied), and reading it back. */
RTM_API rtm_result_t RTM_CALL rtm_remote_invitation_set_response(rtm_remote_invitation_t *invitation,
                                                                 const char *response);
RTM_API rtm_result_t RTM_CALL rtm_remote_invitation_response(char *buf, size_t *buf_size,
                                                             const rtm_remote_invitation_t *invitation);

/* Accepts / refuses. Callbacks: remote_invitation_accepted or remote_invitation_refused (or
 * failure). Return rtm_invitation_api_call_err_t (RTM_ERR_INVALID_ARG for a NULL client). */
RTM_API rtm_result_t RTM_CALL rtm_client_accept_remote_invitation(rtm_client_t *client,
                                                                  rtm_remote_invitation_t *invitation);
RTM_API rtm_result_t RTM_CALL rtm_client_refuse_remote_invitation(rtm_client_t *client,
                                                                  rtm_remote_invitation_t *invitation);

RTM_END_DECLS

#endif /* RTMKIT_INVITATION_H */
