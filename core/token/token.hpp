// Agora-compatible RTM tokens: AccessToken2 ("007", RtmTokenBuilder2) and AccessToken ("006",
// RtmTokenBuilder), minting and verification.
//
// Wire formats (all integers little-endian, packString = u16 length + bytes):
//   007 = "007" + base64(zlib(packString(signature) || signingInfo))
//         signingInfo = packString(appId) u32 issueTs u32 expire u32 salt u16 serviceCount services...
//         service     = u16 type, u16 count + (u16 privilege, u32 value)* sorted, then per-type fields
//                       (RTM, type 2: packString(userId))
//         signature   = HMAC-SHA256(HMAC-SHA256(u32 salt, HMAC-SHA256(u32 issueTs, appCert)), signingInfo)
//   006 = "006" + appId + base64(packString(signature) u32 crc32(channel) u32 crc32(uid) packString(message))
//         message     = u32 salt u32 ts u16 count + (u16 privilege, u32 value)* sorted
//         signature   = HMAC-SHA256(appCert, appId || channel || uid || message)
//         RTM tokens put the user id in the channel slot and leave uid empty.
// base64 is the standard alphabet with '=' padding; zlib uses the default level (like Python's
// zlib.compress and Agora's C++/C# builders), so tokens match Agora's reference output byte for byte.
//
// App ID and certificate: Agora's builders require both to be 32 hex characters and return "" otherwise.
// rtmkit is self-hosted and lets an operator pick other IDs, so these functions only require the app ID
// and certificate to be non-empty (and every packed string to fit a u16 length). With Agora-format IDs
// the output is identical to Agora's.
//
// All functions are thread-safe, never throw and never log.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace rtm::token {

enum class Status { ok, expired, invalid };

struct Verification {
  Status status = Status::invalid;
  uint32_t expires_at = 0;  // absolute unix seconds when the login privilege ends (0 if invalid)
  int version = 0;          // 6 or 7 (0 if unrecognised)
};

// AccessToken2 service types and the RTM login privilege.
inline constexpr uint16_t kServiceRtc = 1;
inline constexpr uint16_t kServiceRtm = 2;
inline constexpr uint16_t kServiceStreaming = 3;
inline constexpr uint16_t kServiceFpa = 4;  // also "Rtns" in older builders; no fields
inline constexpr uint16_t kServiceChat = 5;
inline constexpr uint16_t kServiceEducation = 7;
inline constexpr uint16_t kPrivilegeLogin = 1;  // ServiceRtm::kPrivilegeLogin
// AccessToken (006) privilege used by RtmTokenBuilder.
inline constexpr uint16_t kRtmLogin006 = 1000;

// Limits applied when verifying untrusted input.
inline constexpr std::size_t kMaxTokenChars = 16 * 1024;      // longer strings are rejected unread
inline constexpr std::size_t kMaxPayloadBytes = 64 * 1024;    // inflate output cap (zlib-bomb guard)

// Mint an AccessToken2 ("007") RTM token exactly as Agora's RtmTokenBuilder2.buildToken does:
// service type 2 (ServiceRtm), privilege kPrivilegeLogin = 1 with value `expire_seconds`, user id bound.
// The token-level `expire` field is also `expire_seconds`. Returns "" on invalid input.
std::string build_rtm_token_007(std::string_view app_id, std::string_view app_cert, std::string_view user_id,
                                uint32_t expire_seconds, uint32_t issue_ts, uint32_t salt);
// issue_ts = now, salt = random (RAND_bytes). Returns "" if the random generator fails.
std::string build_rtm_token_007(std::string_view app_id, std::string_view app_cert, std::string_view user_id,
                                uint32_t expire_seconds);

// Mint an AccessToken ("006") RTM token as Agora's RtmTokenBuilder.buildToken does (user id in the channel
// name slot, uid empty, privilege kRtmLogin = 1000 with value `privilege_expired_ts`).
// `ts` is the message's own `ts` field, i.e. the absolute time the token stops being valid; Agora's builder
// sets it to issue time + 24 h (the 3-argument overload does that). Returns "" on invalid input.
std::string build_rtm_token_006(std::string_view app_id, std::string_view app_cert, std::string_view user_id,
                                uint32_t ts, uint32_t salt, uint32_t privilege_expired_ts = 0);
// ts = now + 24 h, salt = random, privilege_expired_ts = 0.
std::string build_rtm_token_006(std::string_view app_id, std::string_view app_cert, std::string_view user_id);

// Verify a 006 or 007 RTM token for (app_id, app_cert, user_id) at time `now` (unix seconds).
// - forged signature, wrong app id, wrong user id, wrong service/privilege, garbage, truncated data,
//   bad base64 (including non-canonical padding bits), bad zlib, trailing bytes: Status::invalid.
// - genuine but past expiry (now >= expires_at): Status::expired.
//   007: expires_at = issue_ts + min(login privilege value, token expire field); value 0 means already expired.
//        Other services in the same token (RTC, Chat, ...) are allowed; a service type whose layout is
//        unknown (so the rest cannot be parsed) makes the token invalid, as in Agora's C++ parser.
//   006: expires_at = the message `ts` (issue + 24 h), or the kRtmLogin value if it is non-zero and earlier.
// Signatures are compared in constant time; inflated data is capped at kMaxPayloadBytes. `version` is set
// whenever the "006"/"007" prefix is recognised, even if the token then turns out to be invalid.
Verification verify_rtm_token(std::string_view token, std::string_view app_id, std::string_view app_cert,
                              std::string_view user_id, uint32_t now);

// Legacy Signaling tokens: "1:" + appId + ":" + expiredTs + ":" + md5_hex_lower(account + appId +
// appCertificate + decimal(expiredTs)), where expiredTs is an absolute unix time in seconds.
// Returns "" on invalid input (empty app id, certificate or account).
std::string build_signaling_token(std::string_view app_id, std::string_view app_cert, std::string_view account,
                                  uint32_t expired_ts);
// Verifies one for (app_id, app_cert, account) at `now`: invalid (wrong form, app id, account or digest,
// compared in constant time) or expired (now >= expiredTs); expires_at = expiredTs, version = 1.
Verification verify_signaling_token(std::string_view token, std::string_view app_id, std::string_view app_cert,
                                    std::string_view account, uint32_t now);

// ---- lower-level builders (used for Agora known-answer tests and tooling) ---------------------------

// One AccessToken2 service: type, privileges (packed sorted by key), then the per-type string fields in
// order (RTC/Streaming: channel name, uid string; RTM/Chat: user id; FPA: none).
struct Service2 {
  uint16_t type = 0;
  std::map<uint16_t, uint32_t> privileges;
  std::vector<std::string> fields;
};

// Generic AccessToken2 builder (Agora's AccessToken2::Build with fixed issue_ts and salt). Services are
// packed sorted by type; when a type appears twice the later one wins (as AddService does).
// Returns "" if app_id/app_cert are empty, services is empty, or a field does not fit a u16 length.
std::string build_access_token2(std::string_view app_id, std::string_view app_cert, uint32_t issue_ts,
                                uint32_t expire, uint32_t salt, const std::vector<Service2>& services);

// Generic AccessToken (006) builder (Agora's AccessToken::Build with fixed ts and salt).
std::string build_access_token_006(std::string_view app_id, std::string_view app_cert,
                                   std::string_view channel_name, std::string_view uid, uint32_t ts,
                                   uint32_t salt, const std::map<uint16_t, uint32_t>& privileges);

// True if `s` is 32 hexadecimal characters (what Agora requires of app IDs and certificates).
bool is_agora_id(std::string_view s);

}  // namespace rtm::token
