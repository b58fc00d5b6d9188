/*
 * rtmkit — presence (since 0.2): query, subscribe to and unsubscribe from the online status of peers.
 *
 * Lists of peers are passed as (const char *const *ids, size_t count) and copied before the call
 * returns. Results and status changes arrive as callbacks registered on the conf, on the client's
 * dispatcher; a status list in a callback is two parallel borrowed arrays, `peer_ids[i]` and
 * `states[i]` (RTM's PeerOnlineStatus: is_online is states[i] == RTM_PEER_ONLINE_STATE_ONLINE),
 * valid until the callback returns. Each request returns its request id in *out_request_id (if not
 * NULL), which the result callback carries.
 */
#ifndef RTMKIT_PRESENCE_H
#define RTMKIT_PRESENCE_H

#include "conf.h"
#include "types.h"

RTM_BEGIN_DECLS

/* The outcome of rtm_client_query_peers_online_status (onQueryPeersOnlineStatusResult). */
typedef void RTM_CALLBACK(rtm_query_peers_online_status_result_cb)(rtm_client_t *client, int64_t request_id,
                                                                    const char *const *peer_ids,
                                                                    const rtm_peer_online_state_t *states, size_t count,
                                                                    rtm_query_peers_online_status_err_t code,
                                                                    void *user_data);
/* The outcome of rtm_client_subscribe_peers_online_status or rtm_client_unsubscribe_peers_online_status
 * (onSubscriptionRequestResult). */
typedef void RTM_CALLBACK(rtm_subscription_request_result_cb)(rtm_client_t *client, int64_t request_id,
                                                               rtm_peer_subscription_status_err_t code, void *user_data);
/* The outcome of rtm_client_query_peers_by_subscription_option: the subscribed peers
 * (onQueryPeersBySubscriptionOptionResult). */
typedef void RTM_CALLBACK(rtm_query_peers_by_subscription_option_result_cb)(
    rtm_client_t *client, int64_t request_id, const char *const *peer_ids, size_t count,
    rtm_query_peers_by_subscription_option_err_t code, void *user_data);
/* The online status of subscribed peers changed (also sent once right after subscribing)
 * (onPeersOnlineStatusChanged). */
typedef void RTM_CALLBACK(rtm_peers_online_status_changed_cb)(rtm_client_t *client, const char *const *peer_ids,
                                                               const rtm_peer_online_state_t *states, size_t count,
                                                               void *user_data);

RTM_API rtm_result_t RTM_CALL rtm_conf_set_query_peers_online_status_result_cb(
    rtm_conf_t *conf, rtm_query_peers_online_status_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_subscription_request_result_cb(rtm_conf_t *conf,
                                                                           rtm_subscription_request_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_query_peers_by_subscription_option_result_cb(
    rtm_conf_t *conf, rtm_query_peers_by_subscription_option_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_peers_online_status_changed_cb(rtm_conf_t *conf,
                                                                           rtm_peers_online_status_changed_cb cb);

/* Each returns 0 (accepted; the result callback follows) or the RTM code of the operation (refused
 * at once), or a negative rtm_err for a NULL client or a NULL list with count > 0. */

/* Queries the online status of `count` peers. Returns rtm_query_peers_online_status_err_t. */
RTM_API rtm_result_t RTM_CALL rtm_client_query_peers_online_status(int64_t *out_request_id, rtm_client_t *client,
                                                                   const char *const *peer_ids, size_t count);
/* Subscribes to the online status of `count` peers. Returns rtm_peer_subscription_status_err_t. */
RTM_API rtm_result_t RTM_CALL rtm_client_subscribe_peers_online_status(int64_t *out_request_id, rtm_client_t *client,
                                                                       const char *const *peer_ids, size_t count);
/* Unsubscribes. Returns rtm_peer_subscription_status_err_t. */
RTM_API rtm_result_t RTM_CALL rtm_client_unsubscribe_peers_online_status(int64_t *out_request_id,
                                                                         rtm_client_t *client,
                                                                         const char *const *peer_ids, size_t count);
/* Lists the peers subscribed with `option`. Returns rtm_query_peers_by_subscription_option_err_t. */
RTM_API rtm_result_t RTM_CALL rtm_client_query_peers_by_subscription_option(int64_t *out_request_id,
                                                                            rtm_client_t *client,
                                                                            rtm_peer_subscription_option_t option);

RTM_END_DECLS

#endif /* RTMKIT_PRESENCE_H */
