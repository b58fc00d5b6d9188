// Identifier and size rules of RTM 1.x (reference §1.2, §3).
#pragma once
#include <cstddef>
#include <string_view>

namespace rtm {

namespace limits {
inline constexpr std::size_t kMaxUserIdBytes = 64;
inline constexpr std::size_t kMaxMessageBytes = 32 * 1024;  // text, or raw payload + description
inline constexpr std::size_t kMaxTokenBytes = 2048;
inline constexpr std::size_t kMaxAppIdBytes = 64;
}  // namespace limits

// True when `id` is a valid RTM user id: 1..64 bytes of a-z A-Z 0-9, space and
// ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ , and not the string "null".
bool valid_user_id(std::string_view id);

// App ids: 1..64 bytes of visible ASCII (Agora's are 32 hex characters; we accept any visible string).
bool valid_app_id(std::string_view id);

// Strict UTF-8 (no overlong forms, no surrogates, at most U+10FFFF). All text on the wire must be.
bool valid_utf8(std::string_view text);

}  // namespace rtm
