/*
 * rtmkit — user attributes, channel attributes and channel member counts (since 0.2).
 *
 * Attribute sets are passed as arrays of rtm_attribute_t {key, value} (count entries; strings
 * copied before the call returns) and key lists as (const char *const *keys, size_t count). Results
 * arrive as callbacks registered on the conf, on the client's dispatcher, with borrowed arrays valid
 * until the callback returns. Each request returns its request id in *out_request_id (if not NULL),
 * which the result callback carries. Channel attributes need no membership of the channel; their
 * changes reach the members of a joined channel through rtm_conf_set_channel_attributes_updated_cb.
 *
 * rtm_attribute_t and rtm_channel_attribute_t are fixed: they never change (a future field would come
 * with a new struct and new functions).
 */
#ifndef RTMKIT_ATTRIBUTES_H
#define RTMKIT_ATTRIBUTES_H

#include "conf.h"
#include "types.h"

RTM_BEGIN_DECLS

/* RtmAttribute */
typedef struct rtm_attribute {
  const char *key;
  const char *value;
} rtm_attribute_t;

/* RtmChannelAttribute (only handed out by the library, in callbacks) */
typedef struct rtm_channel_attribute {
  const char *key;
  const char *value;
  const char *last_update_user_id;
  int64_t last_update_ts; /* ms since the Unix epoch */
} rtm_channel_attribute_t;

/* ChannelAttributeOptions. A versioned struct, like rtm_send_options_t: initialise it with
 * RTM_CHANNEL_ATTRIBUTE_OPTIONS_INIT or rtm_channel_attribute_options_init(). NULL means defaults. */
typedef struct rtm_channel_attribute_options {
  uint32_t version;                               /* RTM_CHANNEL_ATTRIBUTE_OPTIONS_VERSION */
  int32_t enable_notification_to_channel_members; /* members get channel_attributes_updated */
} rtm_channel_attribute_options_t;

#define RTM_CHANNEL_ATTRIBUTE_OPTIONS_VERSION 1
#define RTM_CHANNEL_ATTRIBUTE_OPTIONS_INIT { RTM_CHANNEL_ATTRIBUTE_OPTIONS_VERSION, 0 }

/* Zeroes `options` as of `version` and sets its version (RTM_ERR_UNSUPPORTED_VERSION if unknown). */
RTM_API rtm_result_t RTM_CALL rtm_channel_attribute_options_init(rtm_channel_attribute_options_t *options,
                                                                 uint32_t version);

/* ---- callbacks --------------------------------------------------------------------------------- */

/* The outcome of a set / add_or_update / delete / clear operation on the local user's attributes or
 * on a channel's attributes (onSetLocalUserAttributesResult, ..., onClearChannelAttributesResult). */
typedef void RTM_CALLBACK(rtm_attribute_result_cb)(rtm_client_t *client, int64_t request_id,
                                                    rtm_attribute_operation_err_t code, void *user_data);
/* The outcome of rtm_client_get_user_attributes(_by_keys) for `user_id` (onGetUserAttributesResult). */
typedef void RTM_CALLBACK(rtm_get_user_attributes_result_cb)(rtm_client_t *client, int64_t request_id,
                                                              const char *user_id, const rtm_attribute_t *attributes,
                                                              size_t count, rtm_attribute_operation_err_t code,
                                                              void *user_data);
/* The outcome of rtm_client_get_channel_attributes(_by_keys) (onGetChannelAttributesResult). */
typedef void RTM_CALLBACK(rtm_get_channel_attributes_result_cb)(rtm_client_t *client, int64_t request_id,
                                                                 const rtm_channel_attribute_t *attributes, size_t count,
                                                                 rtm_attribute_operation_err_t code, void *user_data);
/* The outcome of rtm_client_get_channel_member_count: channel_ids[i] has counts[i] members
 * (onGetChannelMemberCountResult). */
typedef void RTM_CALLBACK(rtm_get_channel_member_count_result_cb)(rtm_client_t *client, int64_t request_id,
                                                                   const char *const *channel_ids, const int *counts,
                                                                   size_t count, rtm_get_channel_member_count_err_t code,
                                                                   void *user_data);
/* The attributes of a joined channel changed: all of them now (onAttributesUpdated of the channel). */
typedef void RTM_CALLBACK(rtm_channel_attributes_updated_cb)(rtm_client_t *client, rtm_channel_t *channel,
                                                              const rtm_channel_attribute_t *attributes, size_t count,
                                                              void *user_data);

RTM_API rtm_result_t RTM_CALL rtm_conf_set_set_local_user_attributes_result_cb(rtm_conf_t *conf, rtm_attribute_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_add_or_update_local_user_attributes_result_cb(rtm_conf_t *conf,
                                                                                          rtm_attribute_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_delete_local_user_attributes_result_cb(rtm_conf_t *conf,
                                                                                   rtm_attribute_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_clear_local_user_attributes_result_cb(rtm_conf_t *conf,
                                                                                  rtm_attribute_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_get_user_attributes_result_cb(rtm_conf_t *conf,
                                                                          rtm_get_user_attributes_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_set_channel_attributes_result_cb(rtm_conf_t *conf, rtm_attribute_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_add_or_update_channel_attributes_result_cb(rtm_conf_t *conf,
                                                                                       rtm_attribute_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_delete_channel_attributes_result_cb(rtm_conf_t *conf,
                                                                                rtm_attribute_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_clear_channel_attributes_result_cb(rtm_conf_t *conf,
                                                                               rtm_attribute_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_get_channel_attributes_result_cb(rtm_conf_t *conf,
                                                                             rtm_get_channel_attributes_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_get_channel_member_count_result_cb(rtm_conf_t *conf,
                                                                               rtm_get_channel_member_count_result_cb cb);
RTM_API rtm_result_t RTM_CALL rtm_conf_set_channel_attributes_updated_cb(rtm_conf_t *conf,
                                                                          rtm_channel_attributes_updated_cb cb);

/* ---- operations: 0 accepted, or the RTM code (rtm_attribute_operation_err_t unless noted) -------
 * A NULL array with count > 0 is RTM_ERR_INVALID_ARG; NULL strings count as "". */

/* The local user's attributes (needs a login). */
RTM_API rtm_result_t RTM_CALL rtm_client_set_local_user_attributes(int64_t *out_request_id, rtm_client_t *client,
                                                                   const rtm_attribute_t *attributes, size_t count);
RTM_API rtm_result_t RTM_CALL rtm_client_add_or_update_local_user_attributes(int64_t *out_request_id,
                                                                             rtm_client_t *client,
                                                                             const rtm_attribute_t *attributes,
                                                                             size_t count);
RTM_API rtm_result_t RTM_CALL rtm_client_delete_local_user_attributes_by_keys(int64_t *out_request_id,
                                                                              rtm_client_t *client,
                                                                              const char *const *keys, size_t count);
RTM_API rtm_result_t RTM_CALL rtm_client_clear_local_user_attributes(int64_t *out_request_id, rtm_client_t *client);
/* Any user's attributes: all of them, or those of `keys`. Callback: get_user_attributes_result. */
RTM_API rtm_result_t RTM_CALL rtm_client_get_user_attributes(int64_t *out_request_id, rtm_client_t *client,
                                                             const char *user_id);
RTM_API rtm_result_t RTM_CALL rtm_client_get_user_attributes_by_keys(int64_t *out_request_id, rtm_client_t *client,
                                                                     const char *user_id, const char *const *keys,
                                                                     size_t count);

/* A channel's attributes. `options` may be NULL (no notification to the members). */
RTM_API rtm_result_t RTM_CALL rtm_client_set_channel_attributes(int64_t *out_request_id, rtm_client_t *client,
                                                                const char *channel_id,
                                                                const rtm_attribute_t *attributes, size_t count,
                                                                const rtm_channel_attribute_options_t *options);
RTM_API rtm_result_t RTM_CALL rtm_client_add_or_update_channel_attributes(
    int64_t *out_request_id, rtm_client_t *client, const char *channel_id, const rtm_attribute_t *attributes,
    size_t count, const rtm_channel_attribute_options_t *options);
RTM_API rtm_result_t RTM_CALL rtm_client_delete_channel_attributes_by_keys(
    int64_t *out_request_id, rtm_client_t *client, const char *channel_id, const char *const *keys, size_t count,
    const rtm_channel_attribute_options_t *options);
RTM_API rtm_result_t RTM_CALL rtm_client_clear_channel_attributes(int64_t *out_request_id, rtm_client_t *client,
                                                                  const char *channel_id,
                                                                  const rtm_channel_attribute_options_t *options);
/* Callback: get_channel_attributes_result. */
RTM_API rtm_result_t RTM_CALL rtm_client_get_channel_attributes(int64_t *out_request_id, rtm_client_t *client,
                                                                const char *channel_id);
RTM_API rtm_result_t RTM_CALL rtm_client_get_channel_attributes_by_keys(int64_t *out_request_id,
                                                                        rtm_client_t *client, const char *channel_id,
                                                                        const char *const *keys, size_t count);

/* The member counts of `count` channels. Callback: get_channel_member_count_result. Returns
 * rtm_get_channel_member_count_err_t. */
RTM_API rtm_result_t RTM_CALL rtm_client_get_channel_member_count(int64_t *out_request_id, rtm_client_t *client,
                                                                  const char *const *channel_ids, size_t count);

RTM_END_DECLS

#endif /* RTMKIT_ATTRIBUTES_H */
