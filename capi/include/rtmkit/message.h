/*
 * rtmkit — peer messages.
 *
 * A message is TEXT (a UTF-8 string) or RAW (bytes plus an optional UTF-8 description). Messages you
 * create are yours: release them with rtm_message_destroy(). The message handed to the
 * message-received callback is borrowed: it is valid only until the callback returns; keep it with
 * rtm_message_copy().
 */
#ifndef RTMKIT_MESSAGE_H
#define RTMKIT_MESSAGE_H

#include "types.h"

RTM_BEGIN_DECLS

/* A TEXT message; `text` (NUL-terminated UTF-8, may be "") is copied. */
RTM_API rtm_result_t RTM_CALL rtm_message_new_text(rtm_message_t **out, const char *text);

/* A RAW message carrying `len` bytes of `data` (copied; data may be NULL when len is 0). */
RTM_API rtm_result_t RTM_CALL rtm_message_new_raw(rtm_message_t **out, const void *data, size_t len);

/* Replaces the text: the body of a TEXT message, the description of a RAW one (copied). */
RTM_API rtm_result_t RTM_CALL rtm_message_set_text(rtm_message_t *message, const char *text);

/* A deep copy of `message` (for instance of a borrowed message inside a callback). */
RTM_API rtm_result_t RTM_CALL rtm_message_copy(rtm_message_t **out, const rtm_message_t *message);

/* Releases a message created by rtm_message_new_* or rtm_message_copy. Accepts NULL. Never pass
 * the borrowed message of a callback. */
RTM_API void RTM_CALL rtm_message_destroy(rtm_message_t *message);

/* Accessors. Pointers are borrowed from the message and valid while it is (and not modified).
 * With a NULL message they return UNDEFINED / NULL / 0. */
RTM_API rtm_message_type_t RTM_CALL rtm_message_type(const rtm_message_t *message);
/* The text (NUL-terminated); its length in bytes goes to *len when len is not NULL. */
RTM_API const char *RTM_CALL rtm_message_text(const rtm_message_t *message, size_t *len);
/* The payload of a RAW message (empty for TEXT); its length goes to *len when len is not NULL. */
RTM_API const void *RTM_CALL rtm_message_raw(const rtm_message_t *message, size_t *len);
/* The id the sender's library gave the message (received messages), unique per sender. */
RTM_API int64_t RTM_CALL rtm_message_id(const rtm_message_t *message);
/* When the server received it, in ms since the Unix epoch (received messages). */
RTM_API int64_t RTM_CALL rtm_message_server_received_ts(const rtm_message_t *message);
/* 1 if the message was stored while the receiver was offline, else 0. */
RTM_API int RTM_CALL rtm_message_is_offline(const rtm_message_t *message);

/* Options of rtm_client_send_message_to_peer. A versioned struct: initialise it with
 * RTM_SEND_OPTIONS_INIT or rtm_send_options_init(); fields are only ever appended and the library
 * reads only the fields that exist in `version`. */
typedef struct rtm_send_options {
  uint32_t version;                     /* RTM_SEND_OPTIONS_VERSION */
  int32_t enable_offline_messaging;     /* store the message if the peer is offline (CACHED_BY_SERVER) */
  int32_t enable_historical_messaging;  /* accepted for compatibility with RTM 1.x */
} rtm_send_options_t;

#define RTM_SEND_OPTIONS_VERSION 1
#define RTM_SEND_OPTIONS_INIT { RTM_SEND_OPTIONS_VERSION, 0, 0 }

/* Zeroes `options` as of `version` and sets its version. RTM_ERR_UNSUPPORTED_VERSION when the
 * library does not know `version`. */
RTM_API rtm_result_t RTM_CALL rtm_send_options_init(rtm_send_options_t *options, uint32_t version);

RTM_END_DECLS

#endif /* RTMKIT_MESSAGE_H */
