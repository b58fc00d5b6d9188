/*
 * rtmkit — minting Agora-compatible RTM tokens, for application back ends and tests.
 *
 * 007 tokens (AccessToken2, Agora's RtmTokenBuilder2) and 006 tokens (AccessToken, RtmTokenBuilder)
 * are byte-for-byte what Agora's builders produce for the same input. The app id and certificate
 * must be non-empty (Agora requires 32 hex characters; rtmkit accepts any). All functions are
 * thread-safe and return RTM_ERR_TOKEN when the input cannot make a token.
 *
 * Two output forms:
 *   rtm_token_build_*      *out receives a NUL-terminated string allocated by the library; release it
 *                          with rtm_free().
 *   rtm_token_build_*_into the caller's buffer: in, *buf_size is its capacity; out, the token length
 *                          plus one. RTM_ERR_BUFFER_TOO_SMALL (buf untouched) when it does not fit.
 *                          The random forms differ in length from call to call (by a few bytes), so
 *                          give them a buffer of RTM_TOKEN_MAX_SIZE rather than the size a previous
 *                          call reported.
 */
#ifndef RTMKIT_TOKEN_H
#define RTMKIT_TOKEN_H

#include "types.h"

RTM_BEGIN_DECLS

/* Longer tokens are refused by login and renew (RTM's limit is 2048 bytes); a buffer of this size
 * (including the NUL) holds every token a client can use. */
#define RTM_TOKEN_MAX_SIZE 2049

/* A 007 RTM token for `user_id`, valid for expire_seconds from now (random salt). */
RTM_API rtm_result_t RTM_CALL rtm_token_build_007(char **out, const char *app_id, const char *app_certificate,
                                                  const char *user_id, uint32_t expire_seconds);
RTM_API rtm_result_t RTM_CALL rtm_token_build_007_into(char *buf, size_t *buf_size, const char *app_id,
                                                       const char *app_certificate, const char *user_id,
                                                       uint32_t expire_seconds);
/* Deterministic form: explicit issue time (Unix seconds) and salt, for known-answer tests. */
RTM_API rtm_result_t RTM_CALL rtm_token_build_007_ex(char **out, const char *app_id, const char *app_certificate,
                                                     const char *user_id, uint32_t expire_seconds,
                                                     uint32_t issue_ts, uint32_t salt);

/* A 006 RTM token for `user_id`, valid for 24 hours from now (random salt). */
RTM_API rtm_result_t RTM_CALL rtm_token_build_006(char **out, const char *app_id, const char *app_certificate,
                                                  const char *user_id);
RTM_API rtm_result_t RTM_CALL rtm_token_build_006_into(char *buf, size_t *buf_size, const char *app_id,
                                                       const char *app_certificate, const char *user_id);
/* Deterministic form: `ts` is when the token stops being valid (Unix seconds), `salt` the salt and
 * privilege_expired_ts the login privilege's own expiry (0: none). */
RTM_API rtm_result_t RTM_CALL rtm_token_build_006_ex(char **out, const char *app_id, const char *app_certificate,
                                                     const char *user_id, uint32_t ts, uint32_t salt,
                                                     uint32_t privilege_expired_ts);

RTM_END_DECLS

#endif /* RTMKIT_TOKEN_H */
